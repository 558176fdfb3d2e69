import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  queueUrlFromArn,
  SqsMessageQueue,
  SqsSourceQueue,
  UnconfiguredQueue,
} from '../../../shared/adapters/sqs-message-queue.js';
import { ConfigurationError } from '../../../shared/errors.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { isSqsSafeText } from '../../../shared/json/sqs-safe-json.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

describe('queueUrlFromArn', () => {
  it('builds the queue URL of each partition, and nothing from what is not an SQS ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:eu-west-1:123456789012:inbox')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/inbox',
    );
    expect(queueUrlFromArn('arn:aws-cn:sqs:cn-north-1:123456789012:q')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q',
    );
    expect(queueUrlFromArn('arn:aws:sns:eu-west-1:123456789012:topic')).toBeUndefined();
    expect(queueUrlFromArn('not an arn')).toBeUndefined();
  });
});

describe('UnconfiguredQueue', () => {
  it('fails with a configuration error naming the variable', async () => {
    await expect(new UnconfiguredQueue('OUTBOX_DLQ_URL').send()).rejects.toThrow(ConfigurationError);
    await expect(new UnconfiguredQueue('OUTBOX_DLQ_URL').send()).rejects.toThrow(/OUTBOX_DLQ_URL/);
  });
});

describe('SQS adapters on a real SQS emulator (fauxqs on 127.0.0.1)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  const receive = async (url: string, wait = 0) =>
    (
      await queues.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          WaitTimeSeconds: wait,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      )
    ).Messages ?? [];

  it('hides a failed message for the delay asked, then hands it back with the next receive count', async () => {
    const { url } = queues.queue('delayed', { VisibilityTimeout: '30' });
    await queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }));
    const [first] = await receive(url, 1);
    if (!first?.ReceiptHandle) throw new Error('no message');
    await new SqsSourceQueue(queues.sqs, url).delay({ receiptHandle: first.ReceiptHandle }, 1);
    expect(await receive(url)).toEqual([]);
    const [again] = await receive(url, 3);
    expect(again?.Body).toBe('m');
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('reports a visibility change SQS refuses (a receipt that is not in flight) as deterministic', async () => {
    const { url } = queues.queue('visibility-refused');
    const error = await new SqsSourceQueue(queues.sqs, url)
      .delay({ receiptHandle: 'not-a-receipt' }, 5)
      .catch((e: unknown) => e);
    expect(classifyFailure(error).class).toBe('permanent');
  });

  it('sends attribute values SQS accepts, whatever characters the reason held', async () => {
    const { url } = queues.queue('attributes');
    await new SqsMessageQueue(queues.sqs, url).send({
      body: 'parked',
      attributes: { failure_reason: 'bad \uFFFE\u0000\uD800 value 🎁' },
    });
    const [message] = await receive(url, 1);
    const reason = message?.MessageAttributes?.failure_reason?.StringValue ?? '';
    expect(reason).toBe('bad \uFFFD\uFFFD\uFFFD value 🎁');
    expect(isSqsSafeText(reason)).toBe(true);
  });

  it('turns a body SQS refuses into a permanent failure, not an endless retry', async () => {
    const { url } = queues.queue('refused');
    const error = await new SqsMessageQueue(queues.sqs, url)
      .send({ body: 'note \uFFFF' })
      .catch((e: unknown) => e);
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code: 'unsupported_value' });
  });

  it('sends 23 messages as three SendMessageBatch requests, and every one arrives once', async () => {
    const { url } = queues.queue('batched');
    const bodies = Array.from({ length: 23 }, (_, i) => `{"n":${i},"note":"gift \\ud83c\\udf81"}`);
    const sends: string[] = [];
    queues.sqs.middlewareStack.add(
      (next, context) => (args) => {
        sends.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countBatchSends' },
    );
    await new SqsMessageQueue(queues.sqs, url).sendBatch(bodies.map((body) => ({ body })));
    queues.sqs.middlewareStack.remove('countBatchSends');
    expect(sends).toEqual(['SendMessageBatchCommand', 'SendMessageBatchCommand', 'SendMessageBatchCommand']);
    const received: string[] = [];
    while (received.length < bodies.length) {
      const out = await queues.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      received.push(...(out.Messages ?? []).map((m) => m.Body ?? ''));
    }
    expect(received.sort()).toEqual([...bodies].sort());
  });

  it('classifies a batch entry SQS refuses like the same message sent alone: a body it refuses is permanent', async () => {
    const { url } = queues.queue('batch-refused');
    const error = await new SqsMessageQueue(queues.sqs, url)
      .sendBatch([{ body: 'fine' }, { body: 'note \uFFFF' }])
      .catch((e: unknown) => e);
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code: 'unsupported_value' });
  });

  it('turns a message over the size limit into item_too_large', async () => {
    const { url } = queues.queue('small', { MaximumMessageSize: '1024' });
    const error = await new SqsMessageQueue(queues.sqs, url)
      .send({ body: 'x'.repeat(2_000) })
      .catch((e: unknown) => e);
    expect(classifyFailure(error)).toMatchObject({ class: 'permanent', code: 'item_too_large' });
  });
});
