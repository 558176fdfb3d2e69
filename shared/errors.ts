/**
 * Typed errors of the connector. Each is mapped once at a boundary: the HTTP edge turns them into status codes,
 * the SQS workers either fail the record (retry) or park it in the DLQ with its reason (permanent).
 */

/**
 * Base class: every connector error has a stable `code` that is safe to log and to return. Its message is written by
 * the connector (never payload values); shared/failures/ turns any thrown value into a class, a code and a reason.
 */
export abstract class ConnectorError extends Error {
  abstract readonly code: string;
  /** True when retrying the same input can never succeed (bad payload, unknown shape). */
  readonly permanent: boolean = false;
  /** The code a record parks with when this transient failure outlasts its attempts. */
  readonly exhaustedCode: string = 'dependency_exhausted';
  /** How long the dependency asked us to wait before the next try (e.g. an HTTP Retry-After), in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, options?: ErrorOptions & { readonly retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** A signed payload that does not match the schema its topic promises. Retrying will not help. */
export class PayloadValidationError extends ConnectorError {
  readonly code = 'payload_invalid';
  override readonly permanent = true;
  constructor(
    message: string,
    readonly summary: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'PayloadValidationError';
  }
}

/** A dependency (queue, table, Customer.io) could not be reached or refused the call; retry later. */
export class DependencyError extends ConnectorError {
  readonly code = 'dependency_failed';
  constructor(
    message: string,
    readonly dependency: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DependencyError';
  }
}

/** Another worker holds the claim on this key right now; the record is retried after its visibility timeout. */
export class ClaimInProgressError extends ConnectorError {
  readonly code = 'claim_in_progress';
  constructor(readonly key: string) {
    super(`Another worker is processing ${key}`);
    this.name = 'ClaimInProgressError';
  }
}

/**
 * Configuration or secrets are missing or malformed: an operator has to act. Transient, so records wait (with
 * backoff) for the fix instead of flooding the DLQ; a record that outlasts its attempts parks with this code.
 */
export class ConfigurationError extends ConnectorError {
  readonly code = 'configuration_invalid';
  override readonly exhaustedCode = 'configuration_invalid';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * An output names its person only by an identifier no stored link resolves (a Recharge-only customer id). Usually
 * the delivery that links it (a Recharge customer webhook) is only late: the record is retried with the backoff,
 * and parks with this code only if the link still does not exist when its attempts run out.
 */
export class PersonUnresolvedError extends ConnectorError {
  readonly code = 'person_unresolved';
  override readonly exhaustedCode = 'person_unresolved';
  constructor(
    message: string,
    readonly identifierKind: string,
  ) {
    super(message);
    this.name = 'PersonUnresolvedError';
  }
}

/** A queue message that is not what its queue carries (not an envelope, not an outbox message). Retrying will not help. */
export class EnvelopeInvalidError extends ConnectorError {
  readonly code = 'envelope_invalid';
  override readonly permanent = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EnvelopeInvalidError';
  }
}

/** A value the connector or a destination cannot represent (a number that is not finite, a year past 9999). */
export class UnsupportedValueError extends ConnectorError {
  readonly code = 'unsupported_value';
  override readonly permanent = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsupportedValueError';
  }
}

/** An output larger than its destination takes (an SQS message, a Customer.io batch item). Retrying will not help. */
export class ItemTooLargeError extends ConnectorError {
  readonly code = 'item_too_large';
  override readonly permanent = true;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ItemTooLargeError';
  }
}

/** Narrows an unknown caught value to an Error. */
export const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
