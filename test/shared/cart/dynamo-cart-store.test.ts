import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CartActivitySignal, cartActivity } from '../../../shared/cart/cart-signal.js';
import { DynamoCartStore } from '../../../shared/cart/dynamo-cart-store.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';

const SHOP = 'demo.myshopify.com';
const LINE = {
  product_id: '1',
  variant_id: '11',
  sku: 'SKU-1',
  name: 'Shirt',
  variant_name: null,
  brand: null,
  category: null,
  quantity: 2,
  price: 10,
  discount: 0,
  url: null,
  image_url: null,
};

const activity = (token: string, at: string, extra: Partial<CartActivitySignal> = {}): CartActivitySignal =>
  cartActivity({
    origin: 'cart',
    shop: SHOP,
    cart_token: token,
    person: {},
    line_items: [LINE],
    total: 20,
    currency: 'USD',
    occurred_at: at,
    ...extra,
  });

const FIRST = { step: 1, due_at: '2026-11-28T11:00:00.000Z' };

describe('DynamoCartStore (dynalite)', () => {
  let table: TestTable;
  let store: DynamoCartStore;

  beforeAll(async () => {
    table = await startTestTable();
    store = new DynamoCartStore(table.client, { tableName: table.tableName, retentionDays: 30 });
  });
  afterAll(async () => {
    await table.close();
  });

  it('creates a cart on first activity with its first check pending, and keeps that check on updates', async () => {
    const created = await store.recordActivity(activity('c1', '2026-11-28T10:00:00.000Z'), FIRST);
    expect(created).toMatchObject({
      shop: SHOP,
      cart_token: 'c1',
      line_items: [LINE],
      total: 20,
      currency: 'USD',
      last_activity_at: '2026-11-28T10:00:00.000Z',
      pending: { step: 1, due_at: FIRST.due_at, created: false },
      emitted_steps: [],
    });
    const updated = await store.recordActivity(
      activity('c1', '2026-11-28T10:05:00.000Z', { line_items: [{ ...LINE, quantity: 3 }], total: 30 }),
      { step: 1, due_at: '2026-11-28T11:05:00.000Z' },
    );
    expect(updated.total).toBe(30);
    expect(updated.last_activity_at).toBe('2026-11-28T10:05:00.000Z');
    expect(updated.pending).toEqual({ step: 1, due_at: FIRST.due_at, created: false });
  });

  it('keeps newer contents when older activity arrives late, but still learns the person and checkout', async () => {
    await store.recordActivity(activity('c2', '2026-11-28T10:10:00.000Z', { total: 99 }), FIRST);
    const late = await store.recordActivity(
      activity('c2', '2026-11-28T10:00:00.000Z', {
        origin: 'checkout',
        total: 5,
        checkout_token: 'chk2',
        recovery_url: 'https://shop/recover',
        person: { customer_id: '42', email: 'a@example.com' },
      }),
      FIRST,
    );
    expect(late).toMatchObject({
      total: 99,
      last_activity_at: '2026-11-28T10:10:00.000Z',
      checkout_token: 'chk2',
      recovery_url: 'https://shop/recover',
      person: { customer_id: '42', email: 'a@example.com' },
    });
    expect(await store.findByCheckout(SHOP, 'chk2')).toEqual(['c2']);
  });

  it('takes only the activity time from a pixel, never its single line or a person', async () => {
    await store.recordActivity(activity('c6', '2026-11-28T10:00:00.000Z'), FIRST);
    const bumped = await store.recordActivity(
      activity('c6', '2026-11-28T10:20:00.000Z', {
        origin: 'pixel',
        line_items: [{ ...LINE, quantity: 1 }],
        total: 10,
        person: { email: 'spoofed@example.com' },
      }),
      FIRST,
    );
    expect(bumped).toMatchObject({ last_activity_at: '2026-11-28T10:20:00.000Z', total: 20, person: {} });
    expect(bumped.line_items).toEqual([LINE]);
  });

  it('marks a step idempotently (a retry of the step marks it again) and refuses after conversion', async () => {
    await store.recordActivity(activity('c3', '2026-11-28T10:00:00.000Z'), FIRST);
    const key = { shop: SHOP, cart_token: 'c3' };
    const results = await Promise.all(
      [1, 2, 3].map(() => store.markEmitted(key, 1, '2026-11-28T11:00:00.000Z')),
    );
    expect(results).toEqual(['marked', 'marked', 'marked']);
    expect(await store.markEmitted(key, 1, '2026-11-28T11:00:01.000Z')).toBe('marked');
    expect((await store.getCart(key))?.emitted_steps).toEqual([1]);
    const first = await store.markConverted(key, 'order-1', '2026-11-28T12:00:00.000Z');
    const second = await store.markConverted(key, 'order-1', '2026-11-28T12:00:00.000Z');
    expect([first.changed, second.changed]).toEqual([true, false]);
    expect(second.record).toMatchObject({
      converted_at: '2026-11-28T12:00:00.000Z',
      converted_order_id: 'order-1',
    });
    expect(await store.markEmitted(key, 2, '2026-11-28T13:00:00.000Z')).toBe('converted');
  });

  it('creates a converted stub when the order comes before any activity; later activity keeps it converted', async () => {
    const key = { shop: SHOP, cart_token: 'c4' };
    const { record } = await store.markConverted(key, 'order-4', '2026-11-28T09:00:00.000Z');
    expect(record.pending.step).toBe(0);
    expect(record.last_activity_at).toBeUndefined();
    const after = await store.recordActivity(activity('c4', '2026-11-28T09:30:00.000Z'), FIRST);
    expect(after).toMatchObject({ converted_at: '2026-11-28T09:00:00.000Z', pending: { step: 0 } });
  });

  it('moves the pending check only from the state the caller saw', async () => {
    const cart = await store.recordActivity(activity('c5', '2026-11-28T10:00:00.000Z'), FIRST);
    const next = { step: 1, due_at: '2026-11-28T11:30:00.000Z', created: true };
    expect(await store.setPending(cart, cart.pending, next)).toBe(true);
    expect(await store.setPending(cart, cart.pending, { ...next, due_at: '2026-11-28T12:00:00.000Z' })).toBe(
      false,
    );
    expect((await store.getCart(cart))?.pending).toEqual(next);
    await store.finish(cart, 'unreachable');
    expect(await store.getCart(cart)).toMatchObject({ exit_reason: 'unreachable', pending: { step: 0 } });
  });

  it('keeps the latest order per identifier and the newest consent statement', async () => {
    const person = { customer_id: '7', email: 'Seven@Example.com' };
    await store.recordOrder(SHOP, person, '2026-11-28T10:00:00.000Z');
    await store.recordOrder(SHOP, { email: 'seven@example.com' }, '2026-11-28T09:00:00.000Z');
    expect(await store.readPerson(SHOP, { email: 'seven@example.com' })).toEqual({
      last_order_at: '2026-11-28T10:00:00.000Z',
      unsubscribed: false,
    });
    await store.recordConsent(SHOP, { customer_id: '7' }, true, '2026-11-28T10:00:00.000Z');
    await store.recordConsent(SHOP, { customer_id: '7' }, false, '2026-11-28T08:00:00.000Z');
    expect(await store.readPerson(SHOP, person)).toEqual({
      last_order_at: '2026-11-28T10:00:00.000Z',
      unsubscribed: true,
    });
    expect(await store.readPerson(SHOP, {})).toEqual({ unsubscribed: false });
  });

  it('asks again for keys DynamoDB left unprocessed, and fails rather than read a partial answer as "subscribed"', async () => {
    await store.recordConsent(SHOP, { customer_id: '90' }, true, '2026-11-28T10:00:00.000Z');
    let throttle = 1;
    const client = table.client;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchGetItemCommand' || throttle === 0) return next(args);
        if (throttle > 0) throttle -= 1;
        const input = args.input as { RequestItems: Record<string, unknown> };
        return {
          response: {},
          output: { Responses: {}, UnprocessedKeys: input.RequestItems, $metadata: {} },
        };
      },
      { step: 'initialize', name: 'throttleBatchGet' },
    );
    try {
      expect(await store.readPerson(SHOP, { customer_id: '90' })).toEqual({ unsubscribed: true });
      throttle = -1;
      await expect(store.readPerson(SHOP, { customer_id: '90' })).rejects.toThrow(/read person/);
    } finally {
      client.middlewareStack.remove('throttleBatchGet');
    }
  });
});
