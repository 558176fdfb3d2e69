import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEventDraft } from '../../../shared/canonical/events.js';
import type { DedupeStore, OwnershipStore } from '../../../shared/dedupe/dedupe-store.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import { isSqsSafeText } from '../../../shared/json/sqs-safe-json.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { orderCompletedDraft } from '../../helpers/canonical-fixtures.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { failureOf } from '../../helpers/failures.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const ORDER = readSample('shopify/orders-create.json');

const setup = (
  dedupe: DedupeStore & OwnershipStore,
  clock: () => Date = () => new Date('2026-11-28T10:00:00Z'),
) => {
  const outbox = new MemoryQueue();
  const telemetry = testTelemetry();
  const deps: ProcessDeps = {
    dedupe,
    outbox,
    normalizers: normalizerRegistry,
    stages: [],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock,
    telemetry,
  };
  return { deps, outbox, telemetry };
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

  it('fails a signed payload that fails the schema as permanent with the validation summary, then frees the delivery', async () => {
    const store = new MemoryDedupeStore();
    const { deps, outbox } = setup(store);
    const body = JSON.stringify({
      id: 1,
      currency: 'usd',
      line_items: 'none',
      created_at: '2026-01-01T00:00:00Z',
    });
    const failure = await failureOf(
      processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', body)), deps),
    );
    expect(failure).toMatchObject({ class: 'permanent', code: 'payload_invalid' });
    expect(failure.reason).toContain('currency');
    expect(failure.reason).toContain('line_items');
    expect(outbox.sent).toHaveLength(0);
    expect(store.records.size).toBe(0);
  });

  it('fails a body that is not JSON as payload_invalid, and an inbox message that is no envelope as envelope_invalid', async () => {
    const { deps } = setup(new MemoryDedupeStore());
    const notJson = JSON.stringify(shopifyEnvelope('orders/create', '{oops'));
    expect(await failureOf(processInboxMessage(notJson, deps))).toMatchObject({ code: 'payload_invalid' });
    expect(await failureOf(processInboxMessage('{"version":2}', deps))).toMatchObject({
      code: 'envelope_invalid',
    });
    expect(await failureOf(processInboxMessage('not json', deps))).toMatchObject({
      code: 'envelope_invalid',
    });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'acknowledges a topic named like an Object prototype property (%s) as not handled',
    async (topic) => {
      const { deps, outbox, telemetry } = setup(new MemoryDedupeStore());
      const message = JSON.stringify(shopifyEnvelope(topic, ORDER));
      expect(await processInboxMessage(message, deps)).toBe('ignored');
      expect(outbox.sent).toHaveLength(0);
      expect(telemetry.counters.get('IgnoredTopic')).toBe(1);
    },
  );

  it('carries the delivery id and receipt time in every outbox message (log correlation, DeliveryLag)', async () => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const envelope = shopifyEnvelope('orders/create', ORDER, { deliveryId: 'wh-trace' });
    await processInboxMessage(JSON.stringify(envelope), deps);
    const messages = outbox.json().map((m) => OutboxMessageSchema.parse(m));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.trace).toEqual({ delivery_id: 'wh-trace', received_at: envelope.receivedAt });
    }
  });

  it('queues only SQS-safe text, and the names a shopper typed come back unchanged', async () => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const name = 'Zoë \uFFFE\uFFFF \uD800 \u0007 🎁';
    const order = JSON.parse(ORDER) as { customer: Record<string, unknown> };
    order.customer.first_name = name;
    await processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', JSON.stringify(order))), deps);
    expect(outbox.sent.length).toBeGreaterThan(0);
    for (const message of outbox.sent) expect(isSqsSafeText(message.body)).toBe(true);
    const identify = outbox
      .json()
      .map((m) => OutboxMessageSchema.parse(m))
      .find((m) => m.type === 'identify');
    expect(identify?.type === 'identify' && identify.update.attributes.first_name).toBe(name);
  });
});

describe('a delivery validates all its outputs before it emits any', () => {
  const person = { customer_id: '42', email: 'ada@example.com' };
  const identify = {
    dedupe_key: 'identify#demo#42#1',
    source: 'shopify' as const,
    shop: 'demo.myshopify.com',
    occurred_at: '2026-11-01T10:00:00.000Z',
    person,
    attributes: { first_name: 'Ada' },
  };
  /** A normalizer that emits a person update, then the given event draft. */
  const stubbed = (deps: ProcessDeps, draft: unknown): ProcessDeps => ({
    ...deps,
    normalizers: {
      shopify: {
        'orders/create': () => ({
          kind: 'normalized',
          events: [draft as CanonicalEventDraft],
          people: [identify],
          signals: [],
        }),
      },
    },
  });
  const message = JSON.stringify(shopifyEnvelope('orders/create', '{}'));

  it.each([
    ['a total that overflowed to Infinity', { total: Number('1e400') }, 'unsupported_value'],
    ['a date past year 9999', { occurred_at: '+010000-01-01T00:00:00.000Z' }, 'payload_invalid'],
  ])('%s fails the delivery before its identify is emitted', async (_label, change, code) => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const draft = orderCompletedDraft('1', 10, person);
    const bad =
      'total' in change
        ? { ...draft, properties: { ...draft.properties, ...change } }
        : { ...draft, ...change };
    expect(await failureOf(processInboxMessage(message, stubbed(deps, bad)))).toMatchObject({
      class: 'permanent',
      code,
    });
    expect(outbox.sent).toEqual([]);
  });

  it('an event over what Customer.io takes per item is fitted, not refused: its identify and the event both go', async () => {
    const { deps, outbox } = setup(new MemoryDedupeStore());
    const draft = orderCompletedDraft('2', 10, person);
    const products = Array.from({ length: 200 }, (_, i) => ({
      product_id: String(i),
      variant_id: null,
      sku: null,
      name: 'x'.repeat(400),
      variant_name: null,
      brand: null,
      category: null,
      quantity: 1,
      price: 1,
      discount: 0,
      url: null,
      image_url: null,
    }));
    const big = { ...draft, properties: { ...draft.properties, products, item_count: products.length } };
    expect(await processInboxMessage(message, stubbed(deps, big))).toBe('processed');
    const sent = outbox.json().map((m) => OutboxMessageSchema.parse(m));
    expect(sent.map((m) => m.type)).toEqual(['identify', 'event']);
    const event = sent.find((m) => m.type === 'event');
    expect(event?.type === 'event' && event.event.properties).toMatchObject({
      item_count: 200,
      products_truncated: true,
      products_total_count: 200,
    });
    expect(Buffer.byteLength(outbox.sent[1]?.body ?? '')).toBeLessThan(32 * 1024);
  });
});

describe('processInboxMessage failures', () => {
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

  it('fails a webhook id over the 2,048-byte DynamoDB key limit as key_too_long, not as a retry', async () => {
    const { deps, outbox } = setup(store());
    const message = JSON.stringify(
      shopifyEnvelope('orders/create', ORDER, { deliveryId: 'w'.repeat(2_100) }),
    );
    expect(await failureOf(processInboxMessage(message, deps))).toMatchObject({
      class: 'permanent',
      code: 'key_too_long',
    });
    expect(outbox.sent).toEqual([]);
  });

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
      // Killed: nothing it would have given back on failure is given back.
      dedupe: {
        claim: (k, n) => dynamo.claim(k, n),
        complete: (k, t, n) => dynamo.complete(k, t, n),
        release: async () => undefined,
        own: (k, o, n) => dynamo.own(k, o, n),
        disown: async () => undefined,
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
    // The events were handed to the outbox; the delivery's completion never happened.
    const crashAfterSend: DedupeStore & OwnershipStore = {
      claim: (k, n) => dynamo.claim(k, n),
      release: async () => undefined,
      complete: async (k, t, n) => {
        if (k.startsWith('delivery#')) throw new Error('process killed');
        return dynamo.complete(k, t, n);
      },
      own: (k, o, n) => dynamo.own(k, o, n),
      disown: async () => undefined,
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
