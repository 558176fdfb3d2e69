import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DedupeStore } from '../../../shared/dedupe/dedupe-store.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const ORDER = readSample('shopify/orders-create.json');

const setup = (dedupe: DedupeStore, clock: () => Date = () => new Date('2026-11-28T10:00:00Z')) => {
  const outbox = new MemoryQueue();
  const parked = new MemoryQueue();
  const telemetry = testTelemetry();
  const deps: ProcessDeps = {
    dedupe,
    outbox,
    parked,
    normalizers: normalizerRegistry,
    stages: [],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock,
    telemetry,
  };
  return { deps, outbox, parked, telemetry };
};

const events = (outbox: MemoryQueue) =>
  outbox
    .json()
    .map((m) => OutboxMessageSchema.parse(m))
    .filter((m): m is Extract<OutboxMessage, { type: 'event' }> => m.type === 'event');

describe('processInboxMessage', () => {
  it('turns orders/create into one identify and one Order Completed with exact ids and money', async () => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const outcome = await processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', ORDER)), deps);
    expect(outcome).toBe('processed');
    const messages = outbox.json().map((m) => OutboxMessageSchema.parse(m));
    expect(messages.map((m) => m.type)).toEqual(['identify', 'event']);
    const [event] = events(outbox);
    expect(event?.identifiers).toEqual({ id: '115310627314723954' });
    expect(event?.event).toMatchObject({
      name: 'Order Completed',
      dedupe_key: 'order-completed#demo.myshopify.com#820982911946154508',
      occurred_at: '2022-01-01T00:00:00.000Z',
      properties: {
        order_id: '820982911946154508',
        order_number: '#9999',
        total: 404.95,
        currency: 'USD',
        item_count: 5,
      },
    });
    if (event?.event.name !== 'Order Completed') throw new Error('expected Order Completed');
    expect(event.event.properties.products[0]).toEqual({
      product_id: '788032119674292922',
      variant_id: null,
      sku: 'SKU2006-001',
      name: 'Aviator sunglasses',
      variant_name: null,
      brand: null,
      category: null,
      quantity: 1,
      price: 89.99,
      discount: 0,
      url: null,
      image_url: null,
    });
  });

  it('emits nothing new for a retried delivery or for orders/paid of the same order', async () => {
    const { deps, outbox, telemetry } = setup(new MemoryDedupeStore());
    const created = JSON.stringify(shopifyEnvelope('orders/create', ORDER));
    await processInboxMessage(created, deps);
    expect(await processInboxMessage(created, deps)).toBe('duplicate_delivery');
    await processInboxMessage(
      JSON.stringify(shopifyEnvelope('orders/paid', ORDER, { deliveryId: 'wh-paid' })),
      deps,
    );
    expect(events(outbox)).toHaveLength(1);
    expect(telemetry.counters.get('DuplicateDelivery')).toBe(1);
    expect(telemetry.counters.get('DuplicateBusinessEvent_event')).toBe(1);
  });

  it("hands each shop's default phone country to the normalizers", async () => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const body = JSON.stringify({
      id: 7,
      email: 'a@example.com',
      phone: '613 555 0123',
      updated_at: '2026-11-01T00:00:00Z',
    });
    const withDefault: ProcessDeps = {
      ...deps,
      phoneCountryFor: (shop) => (shop === 'demo.myshopify.com' ? 'CA' : undefined),
    };
    await processInboxMessage(JSON.stringify(shopifyEnvelope('customers/update', body)), withDefault);
    const [identify] = outbox.json().map((m) => OutboxMessageSchema.parse(m));
    expect(identify?.type === 'identify' && identify.update.attributes.phone).toBe('+16135550123');
  });

  it('acknowledges and counts an unknown topic', async () => {
    const { deps, outbox, telemetry } = setup(new MemoryDedupeStore());
    const outcome = await processInboxMessage(JSON.stringify(shopifyEnvelope('products/update', '{}')), deps);
    expect(outcome).toBe('ignored');
    expect(outbox.sent).toHaveLength(0);
    expect(telemetry.counters.get('IgnoredTopic')).toBe(1);
  });

  it('parks a signed payload that fails the schema in the DLQ with the validation summary, then frees the delivery', async () => {
    const store = new MemoryDedupeStore();
    const { deps, outbox, parked } = setup(store);
    const body = JSON.stringify({
      id: 1,
      currency: 'usd',
      line_items: 'none',
      created_at: '2026-01-01T00:00:00Z',
    });
    const message = JSON.stringify(shopifyEnvelope('orders/create', body));
    expect(await processInboxMessage(message, deps)).toBe('parked');
    expect(outbox.sent).toHaveLength(0);
    expect(parked.sent).toHaveLength(1);
    expect(parked.sent[0]?.body).toBe(message);
    expect(parked.sent[0]?.attributes?.failure_code).toBe('payload_invalid');
    expect(parked.sent[0]?.attributes?.failure_reason).toContain('currency');
    expect(parked.sent[0]?.attributes?.failure_reason).toContain('line_items');
    expect(store.records.size).toBe(0);
  });

  it('parks a body that is not JSON and an inbox message that is not an envelope', async () => {
    const { deps, parked } = setup(new MemoryDedupeStore());
    expect(await processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', '{oops')), deps)).toBe(
      'parked',
    );
    expect(await processInboxMessage('{"version":2}', deps)).toBe('parked');
    expect(parked.sent.map((m) => m.attributes?.failure_code)).toEqual([
      'payload_invalid',
      'payload_invalid',
    ]);
  });

  it('throws (record retried) when the outbox is down, and releases its claims so the retry succeeds', async () => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const message = JSON.stringify(shopifyEnvelope('orders/create', ORDER));
    outbox.failWith = new Error('SQS unavailable');
    await expect(processInboxMessage(message, deps)).rejects.toThrow('SQS unavailable');
    outbox.failWith = undefined;
    expect(await processInboxMessage(message, deps)).toBe('processed');
    expect(events(outbox)).toHaveLength(1);
  });
});

describe('processInboxMessage with the DynamoDB dedupe store (dynalite)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  const store = (leaseSeconds = 60) =>
    new DynamoDedupeStore(table.client, { tableName: table.tableName, leaseSeconds, retentionDays: 30 });

  it('N = 12 parallel copies of one delivery produce exactly one Order Completed; the rest retry or skip', async () => {
    const { deps, outbox } = setup(store());
    const message = JSON.stringify(
      shopifyEnvelope('orders/create', ORDER, { deliveryId: 'wh-parallel', shop: 'parallel.myshopify.com' }),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => processInboxMessage(message, deps)),
    );
    const retried = results.filter((r) => r.status === 'rejected');
    expect(
      retried.every((r) => r.status === 'rejected' && (r.reason as Error).name === 'ClaimInProgressError'),
    ).toBe(true);
    expect(await processInboxMessage(message, deps)).toBe('duplicate_delivery');
    expect(events(outbox)).toHaveLength(1);
  });

  it('a crash after the claim but before the send is delivered exactly once after the lease expires', async () => {
    let now = new Date('2026-11-28T10:00:00Z');
    const { deps, outbox } = setup(store(30), () => now);
    const message = JSON.stringify(
      shopifyEnvelope('orders/create', ORDER, { deliveryId: 'wh-crash-1', shop: 'crash1.myshopify.com' }),
    );
    outbox.failWith = new Error('process killed');
    const dynamo = deps.dedupe;
    const crashing: ProcessDeps = {
      ...deps,
      dedupe: {
        claim: (k, n) => dynamo.claim(k, n),
        complete: (k, t, n) => dynamo.complete(k, t, n),
        release: async () => undefined,
      },
    };
    await expect(processInboxMessage(message, crashing)).rejects.toThrow('process killed');
    outbox.failWith = undefined;
    await expect(processInboxMessage(message, deps)).rejects.toThrow(/Another worker/);
    now = new Date(now.getTime() + 31_000);
    expect(await processInboxMessage(message, deps)).toBe('processed');
    expect(events(outbox)).toHaveLength(1);
  });

  it('a crash after the send but before completion resends the same deterministic event id (Customer.io drops it)', async () => {
    let now = new Date('2026-11-28T10:00:00Z');
    const dynamo = store(30);
    const { deps, outbox } = setup(dynamo, () => now);
    const message = JSON.stringify(
      shopifyEnvelope('orders/create', ORDER, { deliveryId: 'wh-crash-2', shop: 'crash2.myshopify.com' }),
    );
    const crashAfterSend: DedupeStore = {
      claim: (k, n) => dynamo.claim(k, n),
      release: async () => undefined,
      complete: async (k, t, n) => {
        if (k.startsWith('order-completed#')) throw new Error('process killed');
        return dynamo.complete(k, t, n);
      },
    };
    await expect(processInboxMessage(message, { ...deps, dedupe: crashAfterSend })).rejects.toThrow(
      'process killed',
    );
    now = new Date(now.getTime() + 31_000);
    expect(await processInboxMessage(message, deps)).toBe('processed');
    const sent = events(outbox);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.event.id).toBe(sent[1]?.event.id);
    expect(await processInboxMessage(message, deps)).toBe('duplicate_delivery');
  });
});
