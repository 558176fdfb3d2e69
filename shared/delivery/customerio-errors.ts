import { ConnectorError } from '../errors.js';

/** How a Customer.io call failed; each kind has its own metric and code. */
export type CustomerIoFailureKind = 'auth' | 'rate_limited' | 'server_error' | 'timeout';

const CODES = {
  auth: 'destination_auth',
  rate_limited: 'destination_rate_limited',
  server_error: 'destination_unavailable',
  timeout: 'destination_timeout',
} as const satisfies Record<CustomerIoFailureKind, string>;

/** The CONTRACTS.md metric counted once per call that failed this way. */
export const CUSTOMER_IO_FAILURE_METRICS = {
  auth: 'CustomerIoAuthFailed',
  rate_limited: 'CustomerIoRateLimited',
  server_error: 'CustomerIoServerError',
  timeout: 'CustomerIoTimeout',
} as const satisfies Record<CustomerIoFailureKind, string>;

/**
 * A Customer.io call that failed as a whole: bad credentials (401/403), rate limited (429, with the Retry-After
 * asked for), a server error (5xx or another unexpected answer), or a timeout or network failure. All are
 * transient: the records wait and come back. Credentials that stay wrong park the records as `destination_auth`.
 */
export class CustomerIoError extends ConnectorError {
  readonly code: (typeof CODES)[CustomerIoFailureKind];
  override readonly exhaustedCode: string;

  /** The HTTP status, when Customer.io answered. */
  readonly status?: number;

  constructor(
    readonly kind: CustomerIoFailureKind,
    message: string,
    options?: ErrorOptions & { readonly status?: number; readonly retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'CustomerIoError';
    this.code = CODES[kind];
    this.exhaustedCode = kind === 'auth' ? 'destination_auth' : 'dependency_exhausted';
    this.status = options?.status;
  }
}

/** Customer.io refused one item (HTTP 400 or a 207 entry): sending it again will not help. */
export class DestinationRejectedError extends ConnectorError {
  readonly code = 'destination_rejected';
  override readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRejectedError';
  }
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export const parseRetryAfter = (value: string | null, now: Date): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
};
