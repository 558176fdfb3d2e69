import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterReason, readDeadLetters } from '../../local/dead-letter-audit.js';
import { startTestQueues, type TestQueues } from '../helpers/fauxqs.js';

const LAMBDA_RECORD = JSON.stringify({
  version: '1.0',
  requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
  requestPayload: { shop: 'x.myshopify.com', cart_token: 'c', step: 1 },
  responsePayload: { errorType: 'DependencyError', errorMessage: 'DynamoDB claim failed' },
});

describe('deadLetterReason: the three formats of CONTRACTS.md', () => {
  it.each([
    [
      'a worker parked it',
      '{}',
      { failure_code: 'payload_invalid', failure_reason: 'currency: invalid' },
      { format: 'worker', code: 'payload_invalid', reason: 'currency: invalid' },
    ],
    [
      'Lambda sent its invocation record',
      LAMBDA_RECORD,
      {},
      { format: 'lambda', code: 'RetriesExhausted', reason: 'DependencyError: DynamoDB claim failed' },
    ],
    [
      'Scheduler could not invoke',
      '{"shop":"x"}',
      { ERROR_CODE: 'AWS.Lambda.ThrottlingException', ERROR_MESSAGE: 'Rate exceeded' },
      { format: 'scheduler', code: 'AWS.Lambda.ThrottlingException', reason: 'Rate exceeded' },
    ],
  ])('reads the reason when %s', (_, body, attributes, expected) => {
    expect(deadLetterReason(body, attributes)).toEqual(expected);
  });

  it.each([
    ['moved by the redrive policy (no attributes)', '{"version":1}', {}],
    ['a code without its reason', '{}', { failure_code: 'internal_error' }],
    ['a blank reason', '{}', { failure_code: 'internal_error', failure_reason: '  ' }],
    ['a Lambda record without its error type', '{"requestContext":{"condition":"RetriesExhausted"}}', {}],
    ['a body that is not JSON', 'not json', {}],
  ])('finds none when the message was %s', (_, body, attributes) => {
    expect(deadLetterReason(body, attributes)).toBeUndefined();
  });
});

describe('readDeadLetters on fauxqs', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  it('reads ready and in-flight messages with their reasons, and receives none of them', async () => {
    const dlq = queues.queue('inbox-dlq');
    queues.queue('outbox-dlq');
    await queues.sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq.url,
        MessageBody: '{"deliveryId":"a"}',
        MessageAttributes: {
          failure_code: { DataType: 'String', StringValue: 'key_too_long' },
          failure_reason: { DataType: 'String', StringValue: 'ValidationException: key size' },
        },
      }),
    );
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: '{"deliveryId":"b"}' }));
    // Someone is looking at one of them (the ops CLI): it is in flight, and still read.
    await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, MaxNumberOfMessages: 1 }));

    const letters = readDeadLetters(queues.server, ['inbox-dlq', 'outbox-dlq', 'no-such-queue']);

    expect(letters.map((l) => [l.queue, l.body, l.why?.code]).sort()).toEqual([
      ['inbox-dlq', '{"deliveryId":"a"}', 'key_too_long'],
      ['inbox-dlq', '{"deliveryId":"b"}', undefined],
    ]);
    const inspected = queues.server.inspectQueue('inbox-dlq')?.messages;
    expect(inspected?.inflight).toHaveLength(1);
    expect(inspected?.ready.map((m) => m.approximateReceiveCount)).toEqual([0]);
  });
});
