import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeadLetter,
  deadLetterReason,
  onLocalStackStop,
  readDeadLetters,
} from '../../local/dead-letter-audit.js';
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
    // Named unlike a DLQ: the suite's sweep would otherwise fail this file for the message without a reason.
    const dlq = queues.queue('audited-inbox');
    queues.queue('audited-outbox');
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

    const letters = readDeadLetters(queues.server, ['audited-inbox', 'audited-outbox', 'no-such-queue']);

    expect(letters.map((l) => [l.queue, l.body, l.why?.code]).sort()).toEqual([
      ['audited-inbox', '{"deliveryId":"a"}', 'key_too_long'],
      ['audited-inbox', '{"deliveryId":"b"}', undefined],
    ]);
    const inspected = queues.server.inspectQueue('audited-inbox')?.messages;
    expect(inspected?.inflight).toHaveLength(1);
    expect(inspected?.ready.map((m) => m.approximateReceiveCount)).toEqual([0]);
  });
});

describe('the sweep: what a closing set of queues reports', () => {
  it('hands every observer the DLQ messages of queues named like a DLQ, as the test queues close', async () => {
    const queues = await startTestQueues();
    const seen: DeadLetter[] = [];
    const stop = onLocalStackStop(({ deadLetters }) => seen.push(...deadLetters));
    try {
      const dlq = queues.queue('swept-dlq');
      const other = queues.queue('swept-source');
      const parked = {
        failure_code: { DataType: 'String', StringValue: 'internal_error' },
        failure_reason: { DataType: 'String', StringValue: 'TypeError: x is undefined' },
      };
      await queues.sqs.send(
        new SendMessageCommand({ QueueUrl: dlq.url, MessageBody: 'p', MessageAttributes: parked }),
      );
      await queues.sqs.send(
        new SendMessageCommand({ QueueUrl: other.url, MessageBody: 'not a dead letter' }),
      );
    } finally {
      await queues.close();
      stop();
    }
    expect(seen.map((l) => [l.queue, l.body, l.why?.code])).toEqual([['swept-dlq', 'p', 'internal_error']]);
  });
});
