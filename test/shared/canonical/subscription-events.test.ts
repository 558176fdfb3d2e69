import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../../shared/canonical/events.js';

const base = {
  id: eventIdFor('subscription-started#shop.myshopify.com#1'),
  dedupe_key: 'subscription-started#shop.myshopify.com#1',
  source: 'recharge',
  shop: 'shop.myshopify.com',
  occurred_at: '2024-04-02T01:22:09.000Z',
  person: { recharge_customer_id: '84185810' },
};

const properties = {
  subscription_id: '1',
  status: 'active',
  product_id: '7',
  variant_id: null,
  product_name: 'Box',
  variant_name: null,
  sku: null,
  quantity: 1,
  price: 2,
  currency: 'NZD',
  products: [],
  order_interval_frequency: 1,
  order_interval_unit: 'week',
  charge_interval_frequency: 1,
  next_charge_scheduled_at: '2024-04-09',
};

describe('subscription event schemas in the canonical union', () => {
  it('accepts Subscription Started and requires the cancellation fields on Subscription Cancelled', () => {
    expect(CanonicalEventSchema.parse({ ...base, name: 'Subscription Started', properties }).name).toBe(
      'Subscription Started',
    );
    expect(
      CanonicalEventSchema.safeParse({ ...base, name: 'Subscription Cancelled', properties }).success,
    ).toBe(false);
    const cancelled = CanonicalEventSchema.parse({
      ...base,
      name: 'Subscription Cancelled',
      properties: { ...properties, cancellation_reason: 'too much', cancellation_reason_comments: null },
    });
    expect(cancelled.properties).toMatchObject({ cancellation_reason: 'too much' });
  });

  it('rejects a lower-case currency and a negative quantity', () => {
    expect(
      CanonicalEventSchema.safeParse({
        ...base,
        name: 'Subscription Started',
        properties: { ...properties, currency: 'nzd' },
      }).success,
    ).toBe(false);
    expect(
      CanonicalEventSchema.safeParse({
        ...base,
        name: 'Subscription Skipped',
        properties: { ...properties, quantity: -1 },
      }).success,
    ).toBe(false);
  });

  it('accepts Subscription Charge Failed with retry information', () => {
    const failed = CanonicalEventSchema.parse({
      ...base,
      name: 'Subscription Charge Failed',
      properties: {
        charge_id: '9',
        subscription_ids: ['1'],
        status: 'error',
        error: 'Card declined',
        error_type: null,
        retry_date: '2024-04-12',
        max_retries_reached: false,
        total: 2,
        currency: null,
        products: [],
      },
    });
    expect(failed.properties).toMatchObject({ retry_date: '2024-04-12', max_retries_reached: false });
  });
});
