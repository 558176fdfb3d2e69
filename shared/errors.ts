/**
 * Typed errors of the connector. Each is mapped once at a boundary: the HTTP edge turns them into status codes,
 * the SQS workers either fail the record (retry) or park it in the DLQ with its reason (permanent).
 */

/** Base class: every connector error has a stable `code` that is safe to log and to return. */
export abstract class ConnectorError extends Error {
  abstract readonly code: string;
  /** True when retrying the same input can never succeed (bad payload, unknown shape). */
  readonly permanent: boolean = false;
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

/** Configuration or secrets are missing or malformed: an operator has to act. */
export class ConfigurationError extends ConnectorError {
  readonly code = 'configuration_invalid';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * An output names its person only by an identifier no stored link resolves (a Recharge-only customer id). Retrying
 * at once will not help, so the delivery is parked with this code and redriven once the link exists.
 */
export class PersonUnresolvedError extends ConnectorError {
  readonly code = 'person_unresolved';
  override readonly permanent = true;
  constructor(
    message: string,
    readonly identifierKind: string,
  ) {
    super(message);
    this.name = 'PersonUnresolvedError';
  }
}

/** Narrows an unknown caught value to an Error. */
export const asError = (value: unknown): Error => (value instanceof Error ? value : new Error(String(value)));
