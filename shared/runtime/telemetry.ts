import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { withCurrentLogKeys } from '../ports/log-keys.js';
import type { Counters, Log, LogFields, Telemetry } from '../ports/telemetry.js';

/**
 * Metrics' own notices as JSON log lines. "No application metrics to publish" is printed after every invocation that
 * counted nothing (metrics disabled locally, a batch that had nothing to do): normal here, so a debug line, not a
 * warning on every `npm start` invocation or in CloudWatch.
 */
const metricsNotices = (logger: Logger) => ({
  trace: (message: string) => logger.debug(message),
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) =>
    message.startsWith('No application metrics') ? logger.debug(message) : logger.warn(message),
  error: (message: string) => logger.error(message),
});

/**
 * Powertools logger and metrics for one Lambda (EMF metrics, JSON logs without payloads or PII). Every line carries
 * the correlation keys of the record being handled (see withLogKeys).
 */
export const powertoolsTelemetry = (
  serviceName: string,
): Telemetry & { logger: Logger; metrics: Metrics } => {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({
    serviceName,
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CommerceConnector',
    logger: metricsNotices(logger),
  });
  const counters: Counters = {
    count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
    timing: (name, milliseconds) => metrics.addMetric(name, MetricUnit.Milliseconds, milliseconds),
  };
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      const all = withCurrentLogKeys(fields);
      if (all) logger[level](message, all);
      else logger[level](message);
    };
  const log: Log = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, counters, logger, metrics };
};

/** A one-line-per-entry console logger for the local stack. */
export const consoleLog = (
  component: string,
  minLevel: 'debug' | 'info' | 'warn' | 'error' = 'info',
): Log => {
  const order = ['debug', 'info', 'warn', 'error'];
  const write = (level: string) => (message: string, fields?: LogFields) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return;
    const all = withCurrentLogKeys(fields);
    const extra = all
      ? Object.entries(all)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
      : '';
    process.stdout.write(`[${component}] ${level.toUpperCase()} ${message}${extra ? ` ${extra}` : ''}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
};
