import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { decodeInboxMessage } from '../../../shared/ingest/inbox-message.js';
import { envelopeOf, replayRaw } from '../../../shared/operations/dlq-actions.js';
import type { OpsTarget } from '../../../shared/operations/ops-target.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

describe('replayRaw: a raw delivery file queued by the ops CLI (real fauxqs)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  it('queues a body holding characters SQS refuses (U+FFFE, an emoji) and it reads back unchanged', async () => {
    const inbox = queues.queue('replay-inbox');
    const target = { sqs: queues.sqs, queues: { inbox }, label: 'test' } as unknown as OpsTarget;
    const body = '{"id":1,"note":"gift \uFFFE\uFFFF 🎁"}';
    const envelope = envelopeOf(
      { source: 'shopify', topic: 'orders/create', shop: 'demo.myshopify.com', body },
      new Date('2026-11-28T10:00:00Z'),
    );

    await replayRaw(target, envelope);

    const received = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: inbox.url }));
    // Queued as ingest queues it: the body embedded as JSON (SQS-safe escapes), the same value.
    const queued = decodeInboxMessage(received.Messages?.[0]?.Body ?? '') as WebhookEnvelope;
    expect({ ...queued, body: JSON.parse(queued.body) }).toEqual({ ...envelope, body: JSON.parse(body) });
  });
});
