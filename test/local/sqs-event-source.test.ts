import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsEventSource } from '../../local/sqs-event-source.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { startTestQueues, type TestQueues } from '../helpers/fauxqs.js';

describe('local SQS event source: concurrent invocations and the function timeout (fauxqs on 127.0.0.1)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  const send = (url: string, body: string) =>
    queues.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));

  it('gives up on an invocation past its timeout without deleting anything: the record comes back', async () => {
    const queue = queues.queue('timeout', { VisibilityTimeout: '1' });
    const seen: { body: string; receives: string }[] = [];
    const source = new SqsEventSource(
      queues.sqs,
      async (event: SQSEvent) => {
        const [record] = event.Records;
        seen.push({ body: record?.body ?? '', receives: record?.attributes.ApproximateReceiveCount ?? '' });
        // The first invocation never finishes (a call that never answers); the second works.
        if (seen.length === 1) await new Promise(() => undefined);
        return { batchItemFailures: [] };
      },
      {
        name: 'test',
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: 1,
        region: 'us-east-1',
        timeoutMs: 200,
      },
      silentLog,
    );
    source.start();
    await send(queue.url, 'hung-once');
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
    await expect
      .poll(() => queues.server.inspectQueue('timeout')?.messages.inflight.length ?? -1, { timeout: 5_000 })
      .toBe(0);
    await source.stop();
    expect(seen).toEqual([
      { body: 'hung-once', receives: '1' },
      { body: 'hung-once', receives: '2' },
    ]);
    expect(queues.server.inspectQueue('timeout')?.messages.ready).toEqual([]);
  });

  it('runs as many batches at once as its concurrency', async () => {
    const queue = queues.queue('concurrent');
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const together = new Promise<void>((resolve) => {
      release = resolve;
    });
    const source = new SqsEventSource(
      queues.sqs,
      async () => {
        running += 1;
        most = Math.max(most, running);
        if (running === 3) release();
        await together;
        running -= 1;
        return { batchItemFailures: [] };
      },
      {
        name: 'test',
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: 1,
        region: 'us-east-1',
        concurrency: 3,
      },
      silentLog,
    );
    for (const body of ['a', 'b', 'c']) await send(queue.url, body);
    source.start();
    await together;
    await source.stop();
    expect(most).toBe(3);
  });
});
