import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { Failure } from './failure.js';
import { scrubReason } from './safe-reason.js';

/** The fields an AWS SDK v3 service error carries. */
interface AwsServiceError extends Error {
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: { readonly throttling?: boolean };
  readonly CancellationReasons?: readonly { readonly Code?: string }[];
}

type SdkError = Parameters<typeof isTransientError>[0];

/** The SDK's classifiers only read optional fields (`$metadata`, `code`, `cause`), so any Error can be asked. */
const asSdkError = (error: Error): SdkError => error as SdkError;

/** True for a network error or timeout by the SDK's rules (ECONNRESET, ETIMEDOUT, TimeoutError...), causes included. */
export const isTransientNetworkError = (error: Error): boolean => isTransientError(asSdkError(error));

/** True for an error an AWS SDK v3 client threw for a service answer. */
export const isAwsServiceError = (error: unknown): error is AwsServiceError =>
  error instanceof Error && ('$metadata' in error || '$fault' in error);

/** `AWS.SimpleQueueService.InvalidMessageContents` and `com.amazonaws.sqs#QueueDoesNotExist` → the bare name. */
const bareName = (name: string): string => name.split(/[.#]/).pop() ?? name;

/** Client errors an operator fixes (permissions, a missing table or queue): records wait for the fix. */
const CONFIGURATION_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'NonExistentQueue',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
]);

/** Client errors that pass by themselves (SQS's in-flight limit, an expired session being refreshed). */
const TRANSIENT_CLIENT_NAMES = new Set([
  'OverLimit',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestCanceled',
]);

/** DynamoDB transaction cancellation reasons that pass by themselves. */
const TRANSIENT_CANCELLATIONS = new Set([
  'ThrottlingError',
  'TransactionConflict',
  'ProvisionedThroughputExceeded',
]);

const permanentValidation = (name: string, message: string): Failure => {
  const reason = `${name}: ${scrubReason(message, 300)}`;
  if (/hash ?key|range keys|key (size|length)|key.*exceeded/i.test(message)) {
    return { class: 'permanent', code: 'key_too_long', reason };
  }
  if (/item size|too large|must be shorter|too long|exceeds? the (maximum|size)/i.test(message)) {
    return { class: 'permanent', code: 'item_too_large', reason };
  }
  return { class: 'permanent', code: 'unsupported_value', reason };
};

/**
 * Classifies an AWS SDK service error: throttling, 5xx, network and timeouts are transient (the SDK's own rules);
 * permissions and missing resources wait for an operator; validation errors (a key over 2,048 bytes, an item or
 * message too large, characters SQS refuses) are permanent; any other client error is a defect, parked as such.
 */
export const classifyAwsError = (error: AwsServiceError): Failure => {
  const name = bareName(error.name);
  const reason = `${name}: ${scrubReason(error.message, 300)}`;
  if (isThrottlingError(asSdkError(error))) {
    return { class: 'transient', code: 'throttled', reason, exhaustedCode: 'dependency_exhausted' };
  }
  const status = error.$metadata?.httpStatusCode ?? 0;
  if (
    isTransientNetworkError(error) ||
    error.$fault === 'server' ||
    status >= 500 ||
    TRANSIENT_CLIENT_NAMES.has(name)
  ) {
    return { class: 'transient', code: 'dependency_failed', reason, exhaustedCode: 'dependency_exhausted' };
  }
  if (CONFIGURATION_NAMES.has(name)) {
    return {
      class: 'transient',
      code: 'configuration_invalid',
      reason,
      exhaustedCode: 'configuration_invalid',
    };
  }
  if (name === 'TransactionCanceledException') {
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    if (codes.some((code) => TRANSIENT_CANCELLATIONS.has(code))) {
      return { class: 'transient', code: 'dependency_failed', reason, exhaustedCode: 'dependency_exhausted' };
    }
    if (codes.includes('ValidationError')) return permanentValidation(name, error.message);
  }
  if (
    name === 'ValidationException' ||
    name === 'InvalidMessageContents' ||
    name === 'InvalidParameterValue' ||
    name === 'BatchRequestTooLong' ||
    name === 'RequestEntityTooLarge'
  ) {
    return permanentValidation(name, error.message);
  }
  return { class: 'permanent', code: 'internal_error', reason };
};
