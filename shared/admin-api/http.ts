import { ConnectorError } from '../errors.js';

/** Port: an HTTP call (the global fetch in production, the same against local fake servers in tests). */
export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** Port: waits (a real timer in production; tests pass a recorder so backoff costs no wall time). */
export type Sleep = (milliseconds: number) => Promise<void>;

/** The real timer. */
/** What every Admin API client takes besides its platform's own settings: transport, clock and patience. */
export interface ApiClientOptions {
  readonly fetch?: Fetch;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** Server errors and network failures retried per request before the run stops (it resumes from its checkpoint). */
  readonly maxRetries?: number;
  /** Throttled answers (429, THROTTLED) waited out per request. */
  readonly maxThrottleWaits?: number;
  readonly timeoutMs?: number;
}

export const realSleep: Sleep = (milliseconds) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));

/**
 * An Admin API refused the credentials (401, 403) or the call is not allowed: no retry helps, an operator must act
 * (a revoked token, a missing scope). The message names the platform and status, never the token.
 */
export class AdminApiAuthError extends ConnectorError {
  readonly code = 'admin_api_auth';
  override readonly permanent = true;
  constructor(
    readonly platform: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiAuthError';
  }
}

/** An Admin API call failed in a way retrying the same request will not fix (a query error, a 4xx). */
export class AdminApiRequestError extends ConnectorError {
  readonly code = 'admin_api_request';
  override readonly permanent = true;
  constructor(
    readonly platform: string,
    message: string,
  ) {
    super(message);
    this.name = 'AdminApiRequestError';
  }
}

/** An Admin API kept failing (5xx, network) through every retry; the run stops and resumes from its checkpoint. */
export class AdminApiUnavailableError extends ConnectorError {
  readonly code = 'admin_api_unavailable';
  constructor(
    readonly platform: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AdminApiUnavailableError';
  }
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date), when it has a usable value. */
export const retryAfterMs = (header: string | null, now: Date): number | undefined => {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
};

/** Exponential backoff with a cap: attempt 1 waits `baseMs`, then doubles, never more than `maxMs`. */
export const backoffMs = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));

/** What one API client did, for the run's summary (the cost of a backfill in API calls). */
export interface ApiCallStats {
  calls: number;
  /** Answers that said "slow down" (HTTP 429, Shopify THROTTLED): waited and retried, never failed. */
  throttled: number;
  /** Server errors and network failures retried. */
  retried: number;
  /** Total time spent waiting for the rate limit or a backoff. */
  waitedMs: number;
}

/** Empty statistics. */
export const emptyStats = (): ApiCallStats => ({ calls: 0, throttled: 0, retried: 0, waitedMs: 0 });
