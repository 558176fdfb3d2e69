/** Structured fields attached to a log line. Never put bodies, emails, phones or names here. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Port: the structured logger (Powertools Logger satisfies it). */
export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Port: metrics for operations dashboards (Powertools Metrics in AWS, an in-memory tally locally). */
export interface Counters {
  count(name: string, value?: number): void;
  /** Records one duration sample in milliseconds (e.g. DeliveryLag); CloudWatch keeps the distribution. */
  timing(name: string, milliseconds: number): void;
}

/** Logging and counting together, as the core receives them. */
export interface Telemetry {
  readonly log: Log;
  readonly counters: Counters;
}

/** In-memory counters: the local stack prints them, tests assert on them. */
export class MemoryCounters implements Counters {
  readonly values = new Map<string, number>();
  readonly timings = new Map<string, number[]>();
  count(name: string, value = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + value);
  }
  timing(name: string, milliseconds: number): void {
    this.timings.set(name, [...(this.timings.get(name) ?? []), milliseconds]);
  }
  get(name: string): number {
    return this.values.get(name) ?? 0;
  }
}

/** A logger that drops everything (tests that do not inspect logs). */
export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
