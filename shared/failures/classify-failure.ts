// The core error class only: `$ZodError` through the namespace pulls all of zod core (300 KiB) into a bundle.
import { $ZodError, type $ZodIssue } from 'zod/v4/core';
import { ConnectorError, PayloadValidationError } from '../errors.js';
import { classifyAwsError, isAwsServiceError, isTransientNetworkError } from './aws-failure.js';
import { type Failure, isParkCode, isTransientCode, type ParkCode } from './failure.js';
import { scrubReason, zodReason } from './safe-reason.js';

/** How deep a `cause` chain is searched for the AWS error under a connector error. */
const MAX_CAUSE_DEPTH = 5;

const causes = (error: Error): Error[] => {
  const chain: Error[] = [];
  let current: unknown = error.cause;
  while (current instanceof Error && chain.length < MAX_CAUSE_DEPTH) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
};

/** Values that reach a number schema only when a payload's number overflowed (hundreds of digits) or was not one. */
const NOT_FINITE = /received (Infinity|-Infinity|NaN)\b/;

/** Whether an issue, or a branch of a union that matched nothing, saw a number that is not finite. */
const sawNonFinite = (issues: readonly $ZodIssue[]): boolean =>
  issues.some(
    (issue) =>
      NOT_FINITE.test(issue.message) || (issue.code === 'invalid_union' && issue.errors.some(sawNonFinite)),
  );

const zodCause = (error: Error): $ZodError | undefined =>
  causes(error).find((cause): cause is $ZodError => cause instanceof $ZodError);

const classifyZod = (error: $ZodError): Failure => ({
  class: 'permanent',
  code: sawNonFinite(error.issues) ? 'unsupported_value' : 'payload_invalid',
  reason: zodReason(error),
});

const connectorReason = (error: ConnectorError): string => {
  if (error instanceof PayloadValidationError) {
    const zod = zodCause(error);
    return scrubReason(`${error.message}: ${zod ? zodReason(zod) : error.summary}`);
  }
  return scrubReason(error.message);
};

const classifyConnector = (error: ConnectorError): Failure => {
  const reason = connectorReason(error);
  if (error.permanent) {
    // A payload whose number overflowed (1e400, hundreds of digits) is well formed: the value is unsupported.
    const zod = error instanceof PayloadValidationError ? zodCause(error) : undefined;
    if (zod && sawNonFinite(zod.issues)) return { class: 'permanent', code: 'unsupported_value', reason };
    return { class: 'permanent', code: isParkCode(error.code) ? error.code : 'internal_error', reason };
  }
  // A dependency error is as permanent as the AWS error under it (a key over 2,048 bytes stays too long).
  const aws = causes(error).find(isAwsServiceError);
  if (aws) {
    const inner = classifyAwsError(aws);
    if (inner.class === 'permanent' || inner.code !== 'dependency_failed') {
      return { ...inner, reason: scrubReason(`${error.message}: ${inner.reason}`) };
    }
  }
  const exhaustedCode: ParkCode = isParkCode(error.exhaustedCode)
    ? error.exhaustedCode
    : 'dependency_exhausted';
  return {
    class: 'transient',
    code: isTransientCode(error.code) ? error.code : 'dependency_failed',
    reason,
    exhaustedCode,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
};

/**
 * Classifies any thrown value once, at the worker boundary. Transient: throttling, 5xx, network errors, timeouts,
 * AWS errors the SDK calls retryable, DependencyError, ClaimInProgressError, configuration an operator must fix,
 * a person whose linking delivery has not arrived yet (PersonUnresolvedError).
 * Permanent: schema failures (ZodError, PayloadValidationError), AWS validation errors,
 * RangeError (a value out of range: `unsupported_value`), and anything else (TypeError, unknown: `internal_error`).
 * The reason never holds payload values.
 */
export const classifyFailure = (error: unknown): Failure => {
  if (error instanceof ConnectorError) return classifyConnector(error);
  if (isAwsServiceError(error)) return classifyAwsError(error);
  if (error instanceof $ZodError) return classifyZod(error);
  if (!(error instanceof Error)) {
    return {
      class: 'permanent',
      code: 'internal_error',
      reason: `a non-error value was thrown (${typeof error})`,
    };
  }
  const reason = scrubReason(`${error.name}: ${error.message}`);
  if (isTransientNetworkError(error)) {
    return { class: 'transient', code: 'dependency_failed', reason, exhaustedCode: 'dependency_exhausted' };
  }
  if (error instanceof RangeError) return { class: 'permanent', code: 'unsupported_value', reason };
  return { class: 'permanent', code: 'internal_error', reason };
};
