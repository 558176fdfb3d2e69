import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import type { CanonicalEvent } from '../../../shared/canonical/events.js';
import {
  applyEvent,
  EMPTY_ROLLUP,
  mergeRollups,
  type RollupState,
  rollupAttributes,
} from '../../../shared/people/rollup.js';
import { orderProperties } from '../../helpers/canonical-fixtures.js';

const base = (name: string, key: string, at: string) => ({
  id: eventIdFor(key),
  dedupe_key: key,
  source: 'shopify' as const,
  shop: 'demo.myshopify.com',
  occurred_at: at,
  person: { customer_id: '7' },
  name,
});

const line = (category: string | null, quantity: number) => ({
  product_id: '1',
  variant_id: null,
  sku: null,
  name: 'x',
  variant_name: null,
  brand: null,
  category,
  quantity,
  price: 10,
  discount: 0,
  url: null,
  image_url: null,
});

const order = (
  orderId: string,
  total: number,
  at: string,
  categories: (string | null)[] = [],
): CanonicalEvent =>
  ({
    ...base('Order Completed', `order-completed#demo#${orderId}`, at),
    properties: orderProperties(orderId, total, { products: categories.map((c) => line(c, 1)) }),
  }) as CanonicalEvent;

const refund = (orderId: string, refundId: string, total: number): CanonicalEvent =>
  ({
    ...base('Order Refunded', `order-refunded#demo#${refundId}`, '2026-03-01T00:00:00Z'),
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
  }) as CanonicalEvent;

const apply = (events: CanonicalEvent[], from: RollupState = EMPTY_ROLLUP) => events.reduce(applyEvent, from);

describe('person rollups', () => {
  it('counts orders once, with first/last order, last value and average', () => {
    const state = apply([
      order('1', 100, '2026-01-10T10:00:00Z'),
      order('2', 50, '2026-02-10T10:00:00Z'),
      order('1', 100, '2026-01-10T10:00:00Z'),
    ]);
    expect(rollupAttributes(state)).toEqual({
      orders_count: 2,
      total_spent: 150,
      first_order_at: Date.parse('2026-01-10T10:00:00Z') / 1000,
      last_order_at: Date.parse('2026-02-10T10:00:00Z') / 1000,
      last_order_value: 50,
      average_order_value: 75,
      top_categories: '',
      active_subscriptions: 0,
    });
  });

  it('returns the same state object for a repeat, so nothing is written or sent', () => {
    const once = apply([order('1', 100, '2026-01-10T10:00:00Z')]);
    expect(applyEvent(once, order('1', 100, '2026-01-10T10:00:00Z'))).toBe(once);
  });

  it('corrects for cancellations and refunds (each refund counted once, spend never negative)', () => {
    const state = apply([
      order('1', 100, '2026-01-10T10:00:00Z'),
      order('2', 60, '2026-02-10T10:00:00Z'),
      refund('1', 'r1', 30),
      refund('1', 'r1', 30),
      {
        ...base('Order Cancelled', 'order-cancelled#demo#2', '2026-02-11T00:00:00Z'),
        properties: {
          ...order('2', 60, '2026-02-10T10:00:00Z').properties,
          cancel_reason: 'customer',
          cancelled_at: null,
        },
      } as CanonicalEvent,
      refund('unknown-order', 'r9', 10),
    ]);
    expect(rollupAttributes(state)).toMatchObject({
      orders_count: 1,
      total_spent: 70,
      last_order_value: 70,
      average_order_value: 70,
    });
    expect(
      rollupAttributes(apply([order('3', 20, '2026-01-01T00:00:00Z'), refund('3', 'r2', 25)])).total_spent,
    ).toBe(0);
  });

  it('ranks top categories from orders (weight 3 per unit) and views (1), at most three', () => {
    const view = (id: string, category: string) =>
      ({
        ...base('Product Viewed', `view#${id}`, '2026-01-01T00:00:00Z'),
        person: { anonymous_id: 'a' },
        properties: { page_url: null, referrer: null, product: line(category, 1), currency: null },
      }) as CanonicalEvent;
    const state = apply([
      view('1', 'Hats'),
      view('2', 'Hats'),
      view('2', 'Hats'),
      view('3', 'Socks'),
      view('4', 'Scarves'),
      view('5', 'Belts'),
      order('1', 10, '2026-01-02T00:00:00Z', ['Shoes', null]),
    ]);
    expect(rollupAttributes(state).top_categories).toBe('Shoes,Hats,Belts');
  });

  it('orders subscription changes by source time: a late or redelivered Started never revives a cancellation', () => {
    const sub = (name: string, at: string) =>
      ({
        ...base(name, `${name}#s1#${at}`, at),
        properties: { subscription_id: 's1' },
      }) as unknown as CanonicalEvent;
    const started = sub('Subscription Started', '2026-01-01T00:00:00Z');
    const cancelled = sub('Subscription Cancelled', '2026-02-01T00:00:00Z');
    const afterCancel = apply([started, cancelled]);
    expect(rollupAttributes(apply([started], afterCancel)).active_subscriptions).toBe(0);
    expect(rollupAttributes(apply([cancelled, started])).active_subscriptions).toBe(0);
    expect(
      rollupAttributes(apply([sub('Subscription Reactivated', '2026-03-01T00:00:00Z')], afterCancel))
        .active_subscriptions,
    ).toBe(1);
    const tie = sub('Subscription Reactivated', '2026-02-01T00:00:00Z');
    expect(rollupAttributes(apply([tie], afterCancel)).active_subscriptions).toBe(0);
  });

  it('tracks active subscriptions and the latest review rating, ignoring an older review that arrives late', () => {
    const sub = (name: string, id: string) =>
      ({
        ...base(name, `${name}#${id}`, '2026-01-01T00:00:00Z'),
        properties: { subscription_id: id },
      }) as unknown as CanonicalEvent;
    const review = (rating: number, at: string) =>
      ({
        ...base('Review Submitted', `review#${at}`, at),
        properties: { rating },
      }) as unknown as CanonicalEvent;
    const state = apply([
      sub('Subscription Started', 's1'),
      sub('Subscription Started', 's2'),
      sub('Subscription Cancelled', 's1'),
      review(5, '2026-05-01T00:00:00Z'),
      review(2, '2026-04-01T00:00:00Z'),
    ]);
    expect(rollupAttributes(state)).toMatchObject({ active_subscriptions: 1, last_review_rating: 5 });
    const reactivated = {
      ...sub('Subscription Reactivated', 's1'),
      occurred_at: '2026-06-01T00:00:00Z',
    } as CanonicalEvent;
    expect(rollupAttributes(apply([reactivated], state)).active_subscriptions).toBe(2);
  });

  it('records a cancellation that arrives before its order, so the order never counts', () => {
    const cancelled = {
      ...base('Order Cancelled', 'order-cancelled#demo#9', '2026-02-11T00:00:00Z'),
      properties: {
        ...order('9', 70, '2026-02-10T10:00:00Z').properties,
        cancel_reason: 'customer',
        cancelled_at: '2026-02-11T00:00:00Z',
      },
    } as CanonicalEvent;
    const state = apply([
      cancelled,
      order('9', 70, '2026-02-10T10:00:00Z'),
      order('10', 5, '2026-02-12T00:00:00Z'),
    ]);
    expect(rollupAttributes(state)).toMatchObject({ orders_count: 1, total_spent: 5 });
  });

  it('keeps at most 50 categories, the heaviest, so a huge order cannot grow the rollup without bound', () => {
    const categories = Array.from({ length: 5_000 }, (_, i) => `type-${i}`);
    const state = apply([order('big', 10, '2026-01-01T00:00:00Z', ['shoes', 'shoes', ...categories])]);
    expect(Object.keys(state.categories)).toHaveLength(50);
    expect(state.categories.shoes).toBe(6);
    expect(rollupAttributes(state).top_categories?.split(',')[0]).toBe('shoes');
  });
});

describe('merging a guest history into a person rollup', () => {
  it('unites orders and refunds, keeps a cancellation from either side, adds categories, keeps the newer review', () => {
    // Prepare
    const review = (rating: number, at: string): CanonicalEvent =>
      ({
        ...base('Review Submitted', `review#${at}`, at),
        properties: { review_id: at, product_id: null, product_name: null, rating, title: null, body: null },
      }) as CanonicalEvent;
    const cancel = {
      ...base('Order Cancelled', 'order-cancelled#demo#g2', '2026-02-03T00:00:00Z'),
      properties: orderProperties('g2', 30),
    } as CanonicalEvent;
    const guest = apply([
      order('g1', 50, '2026-01-01T00:00:00Z', ['hats']),
      order('g2', 30, '2026-02-01T00:00:00Z', ['hats']),
      refund('g1', 'rf-1', 10),
      review(2, '2026-02-02T00:00:00Z'),
    ]);
    const account = apply([
      order('a1', 100, '2026-03-01T00:00:00Z', ['shoes', 'shoes']),
      cancel,
      review(5, '2026-03-02T00:00:00Z'),
    ]);

    // Act
    const merged = mergeRollups(account, guest, 'demo#email:guest');

    // Assess
    expect(rollupAttributes(merged)).toMatchObject({
      orders_count: 2,
      total_spent: 140,
      first_order_at: Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000),
      top_categories: 'hats,shoes',
      last_review_rating: 5,
    });
    expect(merged.absorbed).toEqual(['demo#email:guest']);
  });

  it('merges a key once: a second merge of the same key changes nothing', () => {
    // Prepare
    const guest = apply([order('g1', 50, '2026-01-01T00:00:00Z', ['hats'])]);
    const once = mergeRollups(EMPTY_ROLLUP, guest, 'demo#email:guest');

    // Act
    const twice = mergeRollups(once, guest, 'demo#email:guest');

    // Assess
    expect(twice).toBe(once);
    expect(rollupAttributes(twice)).toMatchObject({
      orders_count: 1,
      total_spent: 50,
      top_categories: 'hats',
    });
  });
});
