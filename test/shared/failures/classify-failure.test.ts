import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { SQSServiceException } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  ClaimInProgressError,
  ConfigurationError,
  DependencyError,
  EnvelopeInvalidError,
  ItemTooLargeError,
  PayloadValidationError,
  PersonUnresolvedError,
  UnsupportedValueError,
} from '../../../shared/errors.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { MAX_REASON_CHARS, scrubReason } from '../../../shared/failures/safe-reason.js';

/** An AWS service error as the SDK builds it from an answer. */
const awsError = (name: string, status: number, message = `${name} happened`) =>
  new DynamoDBServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

const PII = ['ann.lee@example.com', '+1 613-555-0123', 'Ann Lee', '42 Wallaby Way'];

describe('classifyFailure: transient', () => {
  it.each([
    [
      'ProvisionedThroughputExceeded',
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
      'throttled',
    ],
    ['ThrottlingException', awsError('ThrottlingException', 400), 'throttled'],
    [
      'SQS 429',
      new SQSServiceException({
        name: 'RequestThrottled',
        $fault: 'client',
        $metadata: { httpStatusCode: 429 },
      }),
      'throttled',
    ],
    ['500', awsError('InternalServerError', 500), 'dependency_failed'],
    ['503', awsError('ServiceUnavailable', 503), 'dependency_failed'],
    [
      'SDK timeout',
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }),
      'dependency_failed',
    ],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'dependency_failed'],
    [
      'fetch failed',
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      'dependency_failed',
    ],
    [
      'DependencyError',
      new DependencyError('SQS SendMessage failed', 'sqs', { cause: new Error('boom') }),
      'dependency_failed',
    ],
    ['ClaimInProgressError', new ClaimInProgressError('delivery#shopify#shop#1'), 'claim_in_progress'],
    [
      'SQS in-flight limit',
      new SQSServiceException({ name: 'OverLimit', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
      'dependency_failed',
    ],
  ])('%s', (_label, error, code) => {
    const failure = classifyFailure(error);
    expect(failure).toMatchObject({ class: 'transient', code, exhaustedCode: 'dependency_exhausted' });
  });

  it('lets records wait for an operator on configuration and permission errors, parking them with that code', () => {
    for (const error of [
      new ConfigurationError('Customer.io credentials are missing from the connector secret'),
      new DependencyError('DynamoDB claim failed', 'dynamodb', {
        cause: awsError('AccessDeniedException', 400),
      }),
      new DependencyError('SQS SendMessage failed', 'sqs', {
        cause: new SQSServiceException({
          name: 'AWS.SimpleQueueService.NonExistentQueue',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      }),
    ]) {
      expect(classifyFailure(error)).toMatchObject({
        class: 'transient',
        code: 'configuration_invalid',
        exhaustedCode: 'configuration_invalid',
      });
    }
  });

  it('retries a person no link resolves yet (its linking delivery is usually late), parking it by its own code', () => {
    const error = new PersonUnresolvedError('no person for the Recharge customer', 'recharge_customer_id');
    expect(classifyFailure(error)).toMatchObject({
      class: 'transient',
      code: 'person_unresolved',
      exhaustedCode: 'person_unresolved',
    });
  });

  it('keeps a dependency error transient when the AWS error under it is a retryable one', () => {
    const error = new DependencyError('DynamoDB claim failed', 'dynamodb', {
      cause: awsError('ThrottlingException', 400),
    });
    expect(classifyFailure(error)).toMatchObject({ class: 'transient', code: 'throttled' });
  });

  it('passes on the wait a dependency asked for', () => {
    class RateLimited extends DependencyError {
      override readonly retryAfterSeconds = 17;
    }
    expect(classifyFailure(new RateLimited('429', 'customerio'))).toMatchObject({ retryAfterSeconds: 17 });
  });
});

describe('classifyFailure: permanent', () => {
  it('parks a key over the DynamoDB limit as key_too_long, through the dependency error that wraps it', () => {
    const validation = awsError(
      'ValidationException',
      400,
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes',
    );
    const error = new DependencyError('DynamoDB claim failed', 'dynamodb', { cause: validation });
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code: 'key_too_long' });
    expect(classifyFailure(validation).reason).toContain('ValidationException');
  });

  it.each([
    [
      'item too large',
      awsError('ValidationException', 400, 'Item size has exceeded the maximum allowed size'),
      'item_too_large',
    ],
    [
      'other validation',
      awsError('ValidationException', 400, 'An AttributeValue may not contain an empty string'),
      'unsupported_value',
    ],
    [
      'SQS characters',
      new SQSServiceException({
        name: 'AWS.SimpleQueueService.InvalidMessageContents',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Invalid characters found',
      }),
      'unsupported_value',
    ],
    [
      'SQS size',
      new SQSServiceException({
        name: 'InvalidParameterValue',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Message must be shorter than 1048576 bytes.',
      }),
      'item_too_large',
    ],
    [
      'unexpected condition',
      new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      'internal_error',
    ],
    [
      'transaction validation',
      Object.assign(awsError('TransactionCanceledException', 400), {
        CancellationReasons: [{ Code: 'None' }, { Code: 'ValidationError' }],
      }),
      'unsupported_value',
    ],
  ])('AWS %s', (_label, error, code) => {
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code });
  });

  it('retries a transaction cancelled by throttling or a conflict', () => {
    const error = Object.assign(awsError('TransactionCanceledException', 400), {
      CancellationReasons: [{ Code: 'TransactionConflict' }],
    });
    expect(classifyFailure(error)).toMatchObject({ class: 'transient' });
  });

  it.each([
    [
      'PayloadValidationError',
      new PayloadValidationError('orders/create payload does not match its schema', 'currency: bad'),
      'payload_invalid',
    ],
    [
      'EnvelopeInvalidError',
      new EnvelopeInvalidError('inbox message is not an envelope'),
      'envelope_invalid',
    ],
    ['UnsupportedValueError', new UnsupportedValueError('a date past year 9999'), 'unsupported_value'],
    ['ItemTooLargeError', new ItemTooLargeError('event larger than 32 KB'), 'item_too_large'],
    ['TypeError', new TypeError("Cannot read properties of undefined (reading 'people')"), 'internal_error'],
    ['RangeError', new RangeError('Invalid time value'), 'unsupported_value'],
    ['SyntaxError', new SyntaxError('Unexpected token'), 'internal_error'],
    ['plain Error', new Error('something odd'), 'internal_error'],
    ['a thrown string', 'nope', 'internal_error'],
    ['undefined', undefined, 'internal_error'],
  ])('%s', (_label, error, code) => {
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code });
  });

  it('parks a ZodError as payload_invalid with field paths, and a number that overflowed as unsupported_value', () => {
    const schema = z.object({ line_items: z.array(z.object({ price: z.number() })), email: z.email() });
    const invalid = schema.safeParse({ line_items: [{ price: 'x' }], email: 'not-an-email' });
    const overflow = schema.safeParse({ line_items: [{ price: Number('1e400') }], email: 'a@example.com' });
    if (invalid.success || overflow.success) throw new Error('expected failures');
    const failure = classifyFailure(invalid.error);
    expect(failure).toMatchObject({ class: 'permanent', code: 'payload_invalid' });
    expect(failure.reason).toContain('line_items[0].price');
    expect(failure.reason).toContain('email');
    expect(failure.reason).not.toContain('not-an-email');
    expect(classifyFailure(overflow.error)).toMatchObject({ code: 'unsupported_value' });
  });
});

describe('reasons never hold payload values', () => {
  it('masks values that messages echo: quoted text, emails, phone numbers', () => {
    const errors: unknown[] = [
      new PayloadValidationError('recharge timestamp is not a date', `invalid timestamp "${PII[0]}"`),
      new SyntaxError(`Unexpected token 'A', "${PII[2]} at ${PII[3]}" is not valid JSON`),
      new Error(`customer ${PII[0]} with phone ${PII[1]} failed`),
      new PayloadValidationError('x', 'summary', {
        cause: z
          .object({ note: z.string().refine(() => false, `bad note "${PII[3]}"`) })
          .safeParse({ note: PII[3] }).error,
      }),
      z.record(z.string(), z.number()).safeParse({ [PII[0] ?? '']: 'x' }).error,
    ];
    for (const error of errors) {
      const { reason } = classifyFailure(error);
      for (const value of PII) expect(reason, reason).not.toContain(value);
    }
  });

  it('caps reasons at 1,000 characters of SQS-safe text', () => {
    const reason = scrubReason(`start ${'long reason \uFFFE '.repeat(500)}`);
    expect(reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(reason).not.toContain('\uFFFE');
  });
});
