import { describe, expect, it } from 'vitest';
import {
  matchesId,
  PLATFORM_CODES,
  presentDeadLetter,
  type RawMessage,
  readDeadLetter,
} from '../../../shared/operations/dead-letter.js';
import { readSample } from '../../helpers/fixtures.js';

const attrs = (values: Record<string, string>): RawMessage['MessageAttributes'] =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { StringValue: v, DataType: 'String' }]));

const ORDER = readSample('shopify/orders-create.json');
const envelope = {
  version: 1,
  source: 'shopify',
  topic: 'orders/create',
  shop: 'demo.myshopify.com',
  deliveryId: 'wh-1',
  apiVersion: '2026-01',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: true,
  body: ORDER,
};

describe('readDeadLetter', () => {
  it('reads a delivery the process worker parked, with every contract attribute', () => {
    const letter = readDeadLetter('inbox', {
      MessageId: 'm-1',
      Body: JSON.stringify(envelope),
      Attributes: { SentTimestamp: '1795860000000', ApproximateReceiveCount: '3' },
      MessageAttributes: attrs({
        failure_code: 'payload_invalid',
        failure_class: 'permanent',
        failure_reason: 'currency: expected ISO 4217',
        failed_at: '2026-11-28T10:00:05.000Z',
        attempts: '1',
        origin: 'inbox',
        delivery_id: 'wh-1',
      }),
    });
    expect(letter).toMatchObject({
      messageId: 'm-1',
      kind: 'delivery',
      parkedBy: 'worker',
      source: 'shopify',
      topic: 'orders/create',
      shop: 'demo.myshopify.com',
      deliveryId: 'wh-1',
      receivedAt: '2026-11-28T10:00:00.000Z',
      apiVersion: '2026-01',
      sentAt: new Date(1795860000000).toISOString(),
      dlqReceiveCount: 3,
      failure: {
        code: 'payload_invalid',
        class: 'permanent',
        reason: 'currency: expected ISO 4217',
        failedAt: '2026-11-28T10:00:05.000Z',
        attempts: 1,
        origin: 'inbox',
      },
      summary: 'shopify orders/create shop=demo.myshopify.com delivery=wh-1',
    });
    // The stored raw delivery is the payload, big ids kept exact.
    expect(letter.payload).toMatchObject({ format: 'json', value: { id: '820982911946154508' } });
    expect(letter.summary).not.toContain('jon@example.com');
  });

  it('reads an outbox operation with its trace and event id', () => {
    const letter = readDeadLetter('outbox', {
      MessageId: 'm-2',
      Body: JSON.stringify({
        type: 'event',
        identifiers: { email: 'jon@example.com' },
        event: { id: '01JDXYZ0000000000000000000', name: 'Order Completed', shop: 's.myshopify.com' },
        trace: { delivery_id: 'wh-2', received_at: '2026-11-28T10:00:00.000Z' },
      }),
      MessageAttributes: attrs({ failure_code: 'destination_rejected', failure_class: 'permanent' }),
    });
    expect(letter).toMatchObject({
      kind: 'operation',
      topic: 'Order Completed',
      shop: 's.myshopify.com',
      deliveryId: 'wh-2',
      eventId: '01JDXYZ0000000000000000000',
      summary: 'event "Order Completed" id=01JDXYZ0000000000000000000 shop=s.myshopify.com',
    });
    expect(letter.summary).not.toContain('@');
  });

  it('reads a Lambda async on-failure record: condition, error, invoke count, the check to run again', () => {
    const letter = readDeadLetter('cart-check', {
      MessageId: 'm-3',
      Body: JSON.stringify({
        version: '1.0',
        timestamp: '2026-11-28T11:00:00.000Z',
        requestContext: {
          requestId: 'r-1',
          functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Connector-CartCheck:$LATEST',
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: { shop: 's.myshopify.com', cart_token: 'c-1', step: 2 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'DependencyError', errorMessage: 'DynamoDB throttled' },
      }),
    });
    expect(letter).toMatchObject({
      kind: 'cart-check',
      parkedBy: 'lambda-async',
      shop: 's.myshopify.com',
      cartCheck: { shop: 's.myshopify.com', cart_token: 'c-1', step: 2 },
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Connector-CartCheck',
      failure: {
        code: 'lambda_retries_exhausted',
        class: 'exhausted',
        attempts: 3,
        failedAt: '2026-11-28T11:00:00.000Z',
        origin: 'cart-check',
      },
    });
    expect(letter.failure.reason).toContain('DependencyError: DynamoDB throttled');
  });

  it('reads a Scheduler dead-letter event: the body is the target input, the reason is in attributes', () => {
    const letter = readDeadLetter('scheduler', {
      MessageId: 'm-4',
      Body: '{"shop":"s.myshopify.com","cart_token":"c-9","step":1}',
      MessageAttributes: attrs({
        ERROR_CODE: 'AWS.Scheduler.InternalServerError',
        ERROR_MESSAGE: 'Unexpected error',
        EXECUTION_ID: 'e-1',
        EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
        RETRY_ATTEMPTS: '185',
        SCHEDULE_ARN: 'arn:aws:scheduler:eu-west-1:1:schedule/g/cart-x-s1',
        TARGET_ARN: 'arn:aws:lambda:eu-west-1:1:function:Connector-CartCheck',
      }),
    });
    expect(letter).toMatchObject({
      parkedBy: 'scheduler',
      cartCheck: { cart_token: 'c-9', step: 1 },
      functionArn: 'arn:aws:lambda:eu-west-1:1:function:Connector-CartCheck',
      failure: { code: PLATFORM_CODES.schedulerInvoke, attempts: 186, origin: 'scheduler' },
    });
    expect(letter.failure.reason).toContain('MaximumRetryAttempts');
  });

  it("says honestly when a message carries no reason: moved by the queue's maxReceiveCount", () => {
    const letter = readDeadLetter('inbox', { MessageId: 'm-5', Body: JSON.stringify(envelope) });
    expect(letter.parkedBy).toBe('sqs-max-receives');
    expect(letter.failure).toMatchObject({ code: 'max_receive_count', class: 'backstop' });
    expect(letter.failure.reason).toMatch(/maxReceiveCount/);
  });

  it('keeps a non-JSON poison message readable as text', () => {
    const letter = readDeadLetter('inbox', { MessageId: 'm-6', Body: 'not json <jo@x.io>' });
    expect(letter.kind).toBe('unknown');
    expect(letter.summary).toBe('non-JSON message (18 bytes)');
    expect(letter.payload).toEqual({ format: 'text', bytes: 18, text: 'not json <jo@x.io>' });
  });

  it('matches --id on the SQS message id or the delivery id', () => {
    const letter = readDeadLetter('inbox', { MessageId: 'm-7', Body: JSON.stringify(envelope) });
    expect(matchesId(letter, ['m-7'])).toBe(true);
    expect(matchesId(letter, ['wh-1'])).toBe(true);
    expect(matchesId(letter, ['other'])).toBe(false);
  });
});

describe('presentDeadLetter', () => {
  const letter = readDeadLetter('inbox', {
    MessageId: 'm-8',
    Body: JSON.stringify(envelope),
    MessageAttributes: attrs({
      failure_code: 'payload_invalid',
      failure_reason: 'bad contact +44 20 7946 0958',
    }),
  });

  it('masks the payload and the reason by default, and counts what it hid', () => {
    const shown = presentDeadLetter(letter, false);
    const text = JSON.stringify(shown);
    expect(text).not.toContain('jon@example.com');
    expect(text).not.toContain('+44 20 7946 0958');
    expect(shown.failure.reason).toBe('bad contact [phone]');
    expect(shown.masked).toBeGreaterThan(10);
  });

  it('shows everything with raw', () => {
    const shown = presentDeadLetter(letter, true);
    expect(JSON.stringify(shown.payload)).toContain('jon@example.com');
    expect(shown.masked).toBe(0);
  });

  it('withholds non-JSON text, which has no keys to find names or addresses by', () => {
    const shown = presentDeadLetter(readDeadLetter('inbox', { Body: 'Jane Doe, 1 Main St' }), false);
    expect(JSON.stringify(shown)).not.toContain('Jane');
    expect(shown.payload).toMatchObject({ format: 'text', bytes: 19 });
  });
});
