/**
 * The failure vocabulary shared by every worker: what class a failure is, the stable code it is logged and parked
 * with, and the dead-letter attributes (CONTRACTS.md). Codes are a small fixed set, so `RecordParked_<code>` stays
 * a bounded metric name.
 */

/** Codes a parked message carries in its `failure_code` attribute. */
const PARK_CODES = [
  'payload_invalid',
  'envelope_invalid',
  'person_unresolved',
  'unsupported_value',
  'key_too_long',
  'item_too_large',
  'destination_rejected',
  'destination_auth',
  'dependency_exhausted',
  'internal_error',
  'configuration_invalid',
] as const;
/** A `failure_code`. */
export type ParkCode = (typeof PARK_CODES)[number];

/** Codes of transient failures, for logs (a transient failure that runs out of attempts parks with its exhausted code). */
const TRANSIENT_CODES = [
  'dependency_failed',
  'throttled',
  'claim_in_progress',
  'configuration_invalid',
  'person_unresolved',
  'destination_auth',
  'destination_rate_limited',
  'destination_unavailable',
  'destination_timeout',
] as const;
/** A transient failure's code. */
export type TransientCode = (typeof TRANSIENT_CODES)[number];

/** Deterministic: the same input fails the same way, so it is parked at once and never retried blindly. */
interface PermanentFailure {
  readonly class: 'permanent';
  readonly code: ParkCode;
  /** PII-free: never payload values, emails, phones or names. */
  readonly reason: string;
}

/** May succeed later (throttling, 5xx, network, timeouts, a claim held by another worker). */
interface TransientFailure {
  readonly class: 'transient';
  readonly code: TransientCode;
  readonly reason: string;
  /** The code the record parks with when it runs out of attempts. */
  readonly exhaustedCode: ParkCode;
  /** The wait the dependency asked for (HTTP Retry-After), in seconds. */
  readonly retryAfterSeconds?: number;
}

/** A classified failure. */
export type Failure = PermanentFailure | TransientFailure;

/** The queue or function a parked message came from, and where a redrive sends it back to. */
export type FailureOrigin = 'inbox' | 'outbox' | 'cart-check';

/** True for a code of the parking contract. */
export const isParkCode = (code: string): code is ParkCode =>
  (PARK_CODES as readonly string[]).includes(code);

/** True for a code of a known transient failure. */
export const isTransientCode = (code: string): code is TransientCode =>
  (TRANSIENT_CODES as readonly string[]).includes(code);
