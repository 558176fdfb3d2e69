import { Duration } from 'aws-cdk-lib';
import { type IMetric, MathExpression, Metric, SearchExpression, Stats } from 'aws-cdk-lib/aws-cloudwatch';

/** Namespace of the connector's EMF metrics (POWERTOOLS_METRICS_NAMESPACE). */
const CONNECTOR_NAMESPACE = 'CommerceConnector';

/** The `service` dimension Powertools puts on every metric: one per function. */
export type ConnectorService = 'ingest' | 'process' | 'deliver' | 'cart-check';

/** Options of one connector metric. */
export interface ConnectorMetricOptions {
  /** @default Stats.SUM */
  readonly statistic?: string;
  /** @default Duration.minutes(5) */
  readonly period?: Duration;
  /** @default - the metric name */
  readonly label?: string;
}

/** One of the connector's own metrics (CONTRACTS.md "Metrics"), selected by name and service. */
export const connectorMetric = (
  service: ConnectorService,
  metricName: string,
  options: ConnectorMetricOptions = {},
): Metric =>
  new Metric({
    namespace: CONNECTOR_NAMESPACE,
    metricName,
    dimensionsMap: { service },
    statistic: options.statistic ?? Stats.SUM,
    period: options.period ?? Duration.minutes(5),
    label: options.label ?? metricName,
  });

/**
 * The sum of several counters as one metric. FILL(…, 0) because EMF publishes a counter only when it was counted:
 * a quiet counter has no data, which must read as zero, not make the whole sum missing.
 */
export const sumOfCounters = (
  label: string,
  counters: readonly IMetric[],
  period = Duration.minutes(5),
): MathExpression =>
  new MathExpression({
    expression: counters.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
    usingMetrics: Object.fromEntries(counters.map((counter, i) => [`m${i}`, counter])),
    label,
    period,
  });

/**
 * A search over the connector's counters of one service whose names contain every word of `nameWords` (CloudWatch
 * matches words of a metric name, split at `_` and case changes): one line per metric name, e.g. each
 * `WebhookRejected_<reason>`, including reasons added after this dashboard was built. For graphs only: alarms
 * cannot use a search.
 */
export const searchCounters = (
  service: ConnectorService,
  nameWords: string,
  period = Duration.minutes(5),
): IMetric =>
  new SearchExpression({
    expression: `SEARCH('{${CONNECTOR_NAMESPACE},service} service="${service}" MetricName=${nameWords}', 'Sum', ${period.toSeconds()})`,
    label: '',
    period,
  });
