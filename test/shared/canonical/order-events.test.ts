import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../../shared/canonical/events.js';
import { OrderRefundedEventSchema } from '../../../shared/canonical/order-events.js';

const base = {
  id: eventIdFor('order-refunded#shop#1'),
  dedupe_key: 'order-refunded#shop#1',
  source: 'shopify',
  shop: 'snowdevil.myshopify.com',
  occurred_at: '2022-01-01T00:00:00.000Z',
  person: { customer_id: '115310627314723954' },
} as const;

const refund = {
  ...base,
  name: 'Order Refunded',
  properties: {
    refund_id: '890088186047892319',
    order_id: '820982911946154508',
    total: 85,
    currency: 'USD',
    presentment_currency: 'USD',
    products: [],
    item_count: 0,
    note: null,
    restock: false,
  },
};

const order = {
  order_id: '820982911946154508',
  order_number: '#9999',
  checkout_id: null,
  cart_id: null,
  total: 404.95,
  subtotal: 404.95,
  tax: 0,
  shipping: 10,
  shipping_method: 'Generic Shipping',
  discount: 20,
  currency: 'USD',
  presentment_currency: 'USD',
  presentment_total: 404.95,
  discount_codes: [],
  coupon: null,
  products: [],
  item_count: 0,
  financial_status: 'voided',
  is_test: true,
};

describe('order event schemas', () => {
  it('accept an Order Refunded through the canonical union', () => {
    expect(CanonicalEventSchema.parse(refund)).toEqual(refund);
  });

  it('allow a refund currency of null but never a non-ISO code', () => {
    expect(
      OrderRefundedEventSchema.safeParse({ ...refund, properties: { ...refund.properties, currency: null } })
        .success,
    ).toBe(true);
    const lower = OrderRefundedEventSchema.safeParse({
      ...refund,
      properties: { ...refund.properties, currency: 'usd' },
    });
    expect(lower.success).toBe(false);
    expect(lower.error?.issues[0]?.path).toEqual(['properties', 'currency']);
  });

  it('require ids as strings', () => {
    const numeric = CanonicalEventSchema.safeParse({
      ...refund,
      properties: { ...refund.properties, order_id: 820982911 },
    });
    expect(numeric.success).toBe(false);
  });

  it('require Order Cancelled to carry an ISO 8601 cancelled_at or null', () => {
    const cancelled = {
      ...base,
      name: 'Order Cancelled',
      properties: { ...order, cancel_reason: 'customer', cancelled_at: '2022-01-01T00:00:00.000Z' },
    };
    expect(CanonicalEventSchema.parse(cancelled)).toEqual(cancelled);
    const bad = { ...cancelled, properties: { ...cancelled.properties, cancelled_at: '31/12/2021' } };
    expect(CanonicalEventSchema.safeParse(bad).success).toBe(false);
  });

  it('require Order Fulfilled shipments to list tracking as arrays', () => {
    const fulfilled = {
      ...base,
      name: 'Order Fulfilled',
      properties: {
        ...order,
        fulfillment_status: 'fulfilled',
        tracking_numbers: ['1Z2345'],
        tracking_urls: [],
        shipments: [
          {
            fulfillment_id: '255858046',
            status: 'success',
            tracking_company: 'UPS',
            tracking_numbers: ['1Z2345'],
            tracking_urls: [],
          },
        ],
      },
    };
    expect(CanonicalEventSchema.parse(fulfilled)).toEqual(fulfilled);
    const bad = { ...fulfilled, properties: { ...fulfilled.properties, tracking_numbers: '1Z2345' } };
    expect(CanonicalEventSchema.safeParse(bad).success).toBe(false);
  });
});
