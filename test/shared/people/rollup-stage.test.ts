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

  const stage = (
    options: { includeTestOrders?: boolean; telemetry?: ReturnType<typeof testTelemetry> } = {},
  ) =>
    rollupStage({
      store: new DynamoRollupStore(table.client, table.tableName),
      identity,
      clock: () => new Date('2026-11-28T00:00:00Z'),
      telemetry: options.telemetry ?? testTelemetry(),
      ...(options.includeTestOrders === undefined ? {} : { includeTestOrders: options.includeTestOrders }),
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
    const order = readSample('shopify/orders-create.json')
      .replace('"id": 820982911946154508', '"id": 424242')
      .replace('"test": true', '"test": false');
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

  describe('test orders (Shopify test: true)', () => {
    const testOrder = (orderId: string, customerId: string): CanonicalEventDraft => {
      const draft = orderCompletedDraft(orderId, 80, { customer_id: customerId });
      return { ...draft, properties: { ...draft.properties, is_test: true } };
    };

    it('do not change rollups by default, and still go out as events', async () => {
      const telemetry = testTelemetry();
      const s = stage({ telemetry });
      await s.apply(normalized([orderDraft('t-real', 20, { customer_id: 't1' })]), envelope);
      const out = await s.apply(normalized([testOrder('t-test', 't1')]), envelope);
      expect(out.events.map((e) => e.name)).toEqual(['Order Completed']);
      expect(out.people).toEqual([]);
      expect(telemetry.counters.get('TestOrderNotRolledUp')).toBe(1);
      const next = await s.apply(normalized([orderDraft('t-real-2', 30, { customer_id: 't1' })]), envelope);
      expect(next.people.at(-1)?.attributes).toMatchObject({ orders_count: 2, total_spent: 50 });
    });

    it('count when the deployment includes them (ROLLUPS_INCLUDE_TEST_ORDERS=true)', async () => {
      const out = await stage({ includeTestOrders: true }).apply(
        normalized([testOrder('t-in', 't2')]),
        envelope,
      );
      expect(out.people.at(-1)?.attributes).toMatchObject({ orders_count: 1, total_spent: 80 });
    });
  });

  describe('corrections processed before their order', () => {
    it('a refund before its order waits, then corrects the rollup and is sent right after the order', async () => {
      const telemetry = testTelemetry();
      const s = stage({ telemetry });
      const early = await s.apply(normalized([refundDraft('late-1', 'early-r', 25)]), envelope);
      expect(early.events[0]?.person).toEqual({});
      expect(early.people).toEqual([]);
      expect(telemetry.counters.get('RefundBeforeOrder')).toBe(1);

      const person = { customer_id: 'late-buyer', email: 'late@example.com' };
      const order = await s.apply(normalized([orderDraft('late-1', 100, person)]), envelope);
      expect(order.events.map((e) => [e.name, e.person])).toEqual([
        ['Order Completed', person],
        ['Order Refunded', person],
      ]);
      expect(order.events[1]).toMatchObject({
        dedupe_key: 'order-refunded#demo.myshopify.com#early-r',
        properties: { refund_id: 'early-r', order_id: 'late-1', total: 25 },
      });
      expect(order.people.at(-1)?.attributes).toMatchObject({
        orders_count: 1,
        total_spent: 75,
        last_order_value: 75,
      });
      // A retry of the order delivery applies nothing twice.
      const retry = await s.apply(normalized([orderDraft('late-1', 100, person)]), envelope);
      expect(retry.people.at(-1)?.attributes).toMatchObject({ orders_count: 1, total_spent: 75 });
    });

    it('a refund racing its order finds the owner the order just recorded', async () => {
      const store = new DynamoRollupStore(table.client, table.tableName);
      await store.rememberOrderOwner('demo.myshopify.com', 'race-1', { customer_id: 'racer' });
      const refund = refundDraft('race-1', 'race-r', 5);
      if (refund.name !== 'Order Refunded') throw new Error('refund draft');
      const owner = await store.recordPendingRefund('demo.myshopify.com', 'race-1', {
        refundId: 'race-r',
        event: refund,
      });
      expect(owner).toEqual({ customer_id: 'racer' });
    });

    it('a cancellation before its order keeps the order out of every figure', async () => {
      const s = stage();
      const person = { customer_id: 'cancel-first' };
      const completed = orderDraft('cf-1', 90, person);
      if (completed.name !== 'Order Completed') throw new Error('order draft');
      const cancelled: CanonicalEventDraft = {
        ...completed,
        name: 'Order Cancelled',
        dedupe_key: 'order-cancelled#demo.myshopify.com#cf-1',
        properties: {
          ...completed.properties,
          cancel_reason: 'customer',
          cancelled_at: '2026-11-01T11:00:00.000Z',
        },
      };
      const first = await s.apply(normalized([cancelled]), envelope);
      expect(first.people.at(-1)?.attributes).toMatchObject({ orders_count: 0, total_spent: 0 });
      const later = await s.apply(normalized([completed, orderDraft('cf-2', 10, person)]), envelope);
      expect(later.people.at(-1)?.attributes).toMatchObject({ orders_count: 1, total_spent: 10 });
    });

    it('refunds/create before orders/create through the process worker: rollup corrected, refund delivered', async () => {
      const outbox = new MemoryQueue();
      const deps: ProcessDeps = {
        dedupe: new MemoryDedupeStore(),
        outbox,
        normalizers: normalizerRegistry,
        stages: [stage()],
        identity,
        clock: () => new Date('2026-11-28T00:00:00Z'),
        telemetry: testTelemetry(),
      };
      const orderId = '777000111';
      const refund = readSample('shopify/refunds-create.json').replace(
        '"order_id": 820982911946154508',
        `"order_id": ${orderId}`,
      );
      const order = readSample('shopify/orders-create.json')
        .replace('"id": 820982911946154508', `"id": ${orderId}`)
        .replace('"test": true', '"test": false')
        .replaceAll('115310627314723954', '115310627314729999');
      const process = (topic: string, body: string) =>
        processInboxMessage(
          JSON.stringify(shopifyEnvelope(topic, body, { deliveryId: `wh-${topic}-early` })),
          deps,
        );
      expect(await process('refunds/create', refund)).toBe('processed');
      expect(outbox.sent).toHaveLength(0);
      expect(await process('orders/create', order)).toBe('processed');
      const messages = outbox.json<OutboxMessage>();
      expect(
        messages.filter((m) => m.type === 'event').map((m) => m.type === 'event' && m.event.name),
      ).toEqual(['Order Completed', 'Order Refunded']);
      const rollups = messages.filter(
        (m) => m.type === 'identify' && m.update.attributes.total_spent !== undefined,
      );
      expect(rollups.at(-1)?.type === 'identify' && rollups.at(-1)).toMatchObject({
        update: { attributes: { orders_count: 1, total_spent: 319.95 } },
      });
    });
  });
});
