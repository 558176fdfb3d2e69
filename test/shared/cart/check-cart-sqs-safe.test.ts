import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue.js';
import { CartRecoveryStage } from '../../../shared/cart/cart-recovery-stage.js';
import { checkCart } from '../../../shared/cart/check-cart.js';
import { DynamoCartStore } from '../../../shared/cart/dynamo-cart-store.js';
import type { RecoveryScheduler, ScheduledCheck } from '../../../shared/cart/recovery-scheduler.js';
import { OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

/** What a merchant can name a product: characters SQS refuses (U+FFFE, U+FFFF), an emoji, a lone surrogate. */
const TITLE = 'Gift box \uFFFE\uFFFF 🎁 \uD800 Zoë';
const T0 = Date.parse('2026-11-28T10:00:00.000Z');

/** Holds the schedules the stage and the check create (the EventBridge adapter has its own test). */
class HeldSchedules implements RecoveryScheduler {
  readonly checks: ScheduledCheck[] = [];
  async schedule(check: ScheduledCheck): Promise<void> {
    this.checks.push(check);
  }
  async cancel(): Promise<void> {}
}

describe('cart check: the Abandoned event is queued as SQS-safe JSON (real fauxqs outbox, dynalite carts)', () => {
  let table: TestTable;
  let queues: TestQueues;
  beforeAll(async () => {
    [table, queues] = await Promise.all([startTestTable(), startTestQueues()]);
  });
  afterAll(async () => {
    await Promise.all([table?.close(), queues?.close()]);
  });

  it('sends Checkout Abandoned for a cart whose product title holds characters SQS refuses, unchanged', async () => {
    const store = new DynamoCartStore(table.client, { tableName: table.tableName, retentionDays: 30 });
    const scheduler = new HeldSchedules();
    const config = { stepsMinutes: [60, 1440], minLeadMs: 60_000 };
    const telemetry = testTelemetry();
    const identity = { strategy: 'customer_id' as const, customerIdPrefix: '' };
    const checkout = JSON.parse(readSample('shopify/checkouts-create.json')) as Record<string, unknown>;
    const [line] = checkout.line_items as Record<string, unknown>[];
    const body = {
      ...checkout,
      token: 'sqs-safe-chk',
      cart_token: 'sqs-safe-cart',
      line_items: [{ ...line, title: TITLE, presentment_title: TITLE }],
      created_at: new Date(T0).toISOString(),
      updated_at: new Date(T0).toISOString(),
    };
    const clock = () => new Date(T0);
    await processInboxMessage(JSON.stringify(shopifyEnvelope('checkouts/create', JSON.stringify(body))), {
      dedupe: new MemoryDedupeStore(),
      outbox: new MemoryQueue(),
      normalizers: normalizerRegistry,
      stages: [new CartRecoveryStage({ store, scheduler, config, clock, telemetry })],
      identity,
      clock,
      telemetry,
    });
    const [first] = scheduler.checks;
    if (!first) throw new Error('expected the first check to be scheduled');
    const outboxUrl = queues.queue('cart-outbox').url;
    const outcome = await checkCart(
      { shop: first.shop, cart_token: first.cart_token, step: first.step },
      {
        store,
        dedupe: new MemoryDedupeStore(),
        scheduler,
        outbox: new SqsMessageQueue(queues.sqs, outboxUrl),
        config,
        identity,
        clock: () => new Date(T0 + 61 * 60_000),
        telemetry,
      },
    );
    expect(outcome).toMatchObject({ kind: 'emitted', name: 'Checkout Abandoned' });
    const received = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: outboxUrl }));
    const message = OutboxMessageSchema.parse(JSON.parse(received.Messages?.[0]?.Body ?? '{}'));
    expect(message.type === 'event' && message.event.properties).toMatchObject({
      step: 1,
      products: [expect.objectContaining({ name: JSON.parse(JSON.stringify(TITLE)) })],
    });
  });
});
