import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEventDraft } from '../../../shared/canonical/events.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { type Normalized, normalized } from '../../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { rollupStage } from '../../../shared/people/rollup-stage.js';
import { DynamoRollupStore } from '../../../shared/people/rollup-store.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { orderCompletedDraft } from '../../helpers/canonical-fixtures.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const orderDraft = (
  orderId: string,
  total: number,
  person: CanonicalEventDraft['person'],
): CanonicalEventDraft => orderCompletedDraft(orderId, total, person);

const refundDraft = (orderId: string, refundId: string, total: number): CanonicalEventDraft => ({
  name: 'Order Refunded',
  dedupe_key: `order-refunded#demo.myshopify.com#${refundId}`,
  source: 'shopify',
  shop: 'demo.myshopify.com',
  occurred_at: '2026-11-02T10:00:00.000Z',
  person: {},
  properties: {
    refund_id: refundId,
    order_id: orderId,
    total,
    currency: 'USD',
    presentment_currency: null,
    products: [],
    item_count: 0,
    note: null,
    restock: false,
  },
});

describe('rollupStage on dynalite', () => {
  let table: TestTable;
  const envelope = shopifyEnvelope('orders/create', '{}');
  const identity = { strategy: 'customer_id' as const, customerIdPrefix: '' };
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  const stage = () =>
    rollupStage({
      store: new DynamoRollupStore(table.client, table.tableName),
      identity,
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: testTelemetry(),
    });

  it('sends the rollup with each order, and resolves a refund (which names no customer) to the buyer', async () => {
    const s = stage();
    const first = await s.apply(
      normalized([orderDraft('o-1', 120, { customer_id: '42', email: 'a@example.com' })]),
      envelope,
    );
    expect(first.people.at(-1)).toMatchObject({
      person: { customer_id: '42' },
      attributes: { orders_count: 1, total_spent: 120 },
    });

    const refunded = await s.apply(normalized([refundDraft('o-1', 'r-1', 20)]), envelope);
    expect(refunded.events[0]?.person).toEqual({ customer_id: '42', email: 'a@example.com' });
    expect(refunded.people.at(-1)?.attributes).toMatchObject({
      orders_count: 1,
      total_spent: 100,
      last_order_value: 100,
    });

    // A repeat changes nothing but still carries the current rollup (process-level dedupe sends it once).
    const again = await s.apply(normalized([refundDraft('o-1', 'r-1', 20)]), envelope);
    expect(again.people.at(-1)?.attributes).toMatchObject({ orders_count: 1, total_spent: 100 });
  });

  it('stays exact when parallel deliveries update one person (optimistic locking, retried on conflict)', async () => {
    const s = stage();
    const outputs = await Promise.all(
      ['p-1', 'p-2', 'p-3', 'p-4'].map((id) =>
        s.apply(normalized([orderDraft(id, 10, { customer_id: '99' })]), envelope),
      ),
    );
    const counts = outputs.map((o) => o.people.at(-1)?.attributes.orders_count).sort();
    expect(counts).toEqual([1, 2, 3, 4]);
    const last = await s.apply(normalized([orderDraft('p-5', 10, { customer_id: '99' })]), envelope);
    expect(last.people.at(-1)?.attributes).toMatchObject({
      orders_count: 5,
      total_spent: 50,
      average_order_value: 10,
    });
  });

  it('still sends the rollup when a retried delivery finds its order already applied (a later stage failed)', async () => {
    const outbox = new MemoryQueue();
    let failCart = true;
    const flakyLaterStage = {
      name: 'flaky',
      apply: async (output: Normalized) => {
        if (failCart) {
          failCart = false;
          throw new Error('cart recovery unavailable');
        }
        return output;
      },
    };
    const deps: ProcessDeps = {
      dedupe: new MemoryDedupeStore(),
      outbox,
      normalizers: normalizerRegistry,
      stages: [stage(), flakyLaterStage],
      identity,
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: testTelemetry(),
    };
    const order = readSample('shopify/orders-create.json').replace(
      '"id": 820982911946154508',
      '"id": 424242',
    );
    const message = JSON.stringify(
      shopifyEnvelope('orders/create', order, { deliveryId: 'wh-retry-rollup' }),
    );
    await expect(processInboxMessage(message, deps)).rejects.toThrow('cart recovery unavailable');
    expect(outbox.sent).toHaveLength(0);
    expect(await processInboxMessage(message, deps)).toBe('processed');
    const rollups = outbox
      .json<OutboxMessage>()
      .filter((m) => m.type === 'identify' && m.update.attributes.orders_count !== undefined);
    expect(rollups).toHaveLength(1);
    expect(rollups[0]?.type === 'identify' && rollups[0].update.attributes).toMatchObject({
      orders_count: 1,
      total_spent: 404.95,
    });
  });

  it('forgets a redacted person: the rollup and the owners of the listed orders go, and keys hold no email', async () => {
    const s = stage();
    await s.apply(normalized([orderDraft('r-1', 50, { email: 'redact.me@example.com' })]), envelope);
    const store = new DynamoRollupStore(table.client, table.tableName);
    expect(await store.orderOwner('demo.myshopify.com', 'r-1')).toEqual({ email: 'redact.me@example.com' });
    const scan = await table.client.send(new ScanCommand({ TableName: table.tableName }));
    expect(JSON.stringify(scan.Items?.map((i) => i.pk?.S))).not.toContain('redact.me@example.com');

    const redact = {
      ...normalized([]),
      deletions: [
        {
          dedupe_key: 'delete#demo#redact#1#email',
          source: 'shopify' as const,
          shop: 'demo.myshopify.com',
          occurred_at: '2026-11-28T00:00:00.000Z',
          person: { email: 'redact.me@example.com' },
          order_ids: ['r-1'],
        },
      ],
    };
    await s.apply(redact, envelope);
    expect(await store.orderOwner('demo.myshopify.com', 'r-1')).toBeUndefined();
    const after = await s.apply(
      normalized([orderDraft('r-2', 5, { email: 'redact.me@example.com' })]),
      envelope,
    );
    expect(after.people.at(-1)?.attributes).toMatchObject({ orders_count: 1, total_spent: 5 });
  });

  it('leaves anonymous and unknown people alone', async () => {
    const out = await stage().apply(
      normalized([orderDraft('x-1', 10, {}), refundDraft('never-seen', 'r-x', 5)]),
      envelope,
    );
    expect(out.people).toHaveLength(0);
    expect(out.events).toHaveLength(2);
  });
});
