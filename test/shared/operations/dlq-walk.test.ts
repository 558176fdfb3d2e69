import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveAll } from '../../../shared/operations/dlq-walk.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

describe('receiveAll: one walk over a DLQ (real fauxqs)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  it('stops when the walk outlasts the hide time and messages come round again, instead of receiving them forever', async () => {
    const dlq = queues.queue('walked-queue');
    for (let batch = 0; batch < 3; batch += 1) {
      await queues.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: dlq.url,
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: `m${i}`,
            MessageBody: `{"n":${batch * 10 + i}}`,
          })),
        }),
      );
    }
    // Every call takes 500 ms, so the third receive comes after the first one's 1 s hide time has run out.
    const slow = {
      send: async (command: unknown) => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return queues.sqs.send(command as never);
      },
    } as unknown as SQSClient;

    const { held, receives } = await receiveAll(slow, dlq.url, 'inbox', { max: 1_000, hideSeconds: 1 });

    expect(new Set(held.map((h) => h.letter.messageId)).size).toBe(30);
    expect(receives).toBeLessThan(60);
  }, 30_000);
});
