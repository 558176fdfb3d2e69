import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../../shared/canonical/event-id.js';
import { PersonUpdateSchema } from '../../../../shared/canonical/person.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { identityLinks } from '../../../../shared/identity/identity-signal.js';
import type { Normalized } from '../../../../shared/normalize/normalizer.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import {
  normalizeShopify,
  normalizeShopifySample,
  readShopifySample,
  shopifySampleObject,
  TEST_SHOP,
} from '../../../helpers/shopify-envelope.js';

const normalizedOf = (topic: string, payload: unknown): Normalized => {
  const result = normalizeShopify(topic, JSON.stringify(payload));
  if (result.kind !== 'normalized') throw new Error(result.reason);
  return result;
};

describe('orders/create (Shopify reference sample)', () => {
  const output = normalizeShopifySample('orders/create', 'orders-create.json');
  const event = onlyEvent(output);

  it('emits one Order Completed keyed per shop and order, with ids kept exact as strings', () => {
    expect(event.name).toBe('Order Completed');
    expect(event.dedupe_key).toBe(`order-completed#${TEST_SHOP}#820982911946154508`);
    expect(event.id).toBe(eventIdFor(`order-completed#${TEST_SHOP}#820982911946154508`));
    expect(event.occurred_at).toBe('2022-01-01T00:00:00.000Z');
    expect(event.person).toEqual({ customer_id: '115310627314723954', email: 'jon@example.com' });
  });

  it('maps money in major units with the shop and presentment currencies', () => {
    if (event.name !== 'Order Completed') throw new Error(event.name);
    expect(event.properties).toMatchObject({
      order_id: '820982911946154508',
      order_number: '#9999',
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
      item_count: 5,
      financial_status: 'voided',
      is_test: true,
    });
  });

  it('maps every line into the one canonical line-item shape', () => {
    if (event.name !== 'Order Completed') throw new Error(event.name);
    expect(event.properties.products).toHaveLength(5);
    expect(event.properties.products[0]).toEqual({
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
    expect(event.properties.products.map((p) => p.sku)).toEqual([
      'SKU2006-001',
      'LENS-PROTECT-2YR',
      'CASE-LEATHER-PREM',
      'SKU2006-020',
      'SKU2006-035',
    ]);
  });

  it('identifies the buyer once per order', () => {
    expect(output.people).toHaveLength(1);
    const update = PersonUpdateSchema.parse(output.people[0]);
    expect(update.dedupe_key).toBe(`identify#${TEST_SHOP}#order#820982911946154508`);
    expect(update.attributes).toEqual({
      email: 'jon@example.com',
      first_name: 'John',
      last_name: 'Smith',
      shopify_customer_id: '115310627314723954',
      city: 'Shippington',
      country_code: 'US',
      locale: 'en',
    });
  });

  it('states a trusted identity link', () => {
    expect(identityLinks(output.signals)).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: { customer_id: '115310627314723954', email: 'jon@example.com' },
        observed_at: '2022-01-01T00:00:00.000Z',
      },
    ]);
  });
});

describe('orders/create and orders/paid (real captures of order #1017)', () => {
  const created = normalizeShopifySample('orders/create', 'orders-create.rudderstack.json');
  const paid = normalizeShopifySample('orders/paid', 'orders-paid.rudderstack.json');

  it('collapse into ONE Order Completed: same dedupe key, same Customer.io event id', () => {
    const a = onlyEvent(created);
    const b = onlyEvent(paid);
    expect(a.name).toBe('Order Completed');
    expect(b.name).toBe('Order Completed');
    expect(a.dedupe_key).toBe(`order-completed#${TEST_SHOP}#5778367414385`);
    expect(b.dedupe_key).toBe(a.dedupe_key);
    expect(b.id).toBe(a.id);
    expect(paid.people[0]?.dedupe_key).toBe(created.people[0]?.dedupe_key);
  });

  it('carries the cart and checkout tokens as properties and in the identity link', () => {
    const event = onlyEvent(paid);
    if (event.name !== 'Order Completed') throw new Error(event.name);
    expect(event.properties).toMatchObject({
      order_id: '5778367414385',
      order_number: '#1017',
      checkout_id: '84ad78572dae52a8cbea7d55371afe89',
      cart_id: 'Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ',
      total: 600,
      currency: 'USD',
      item_count: 1,
    });
    expect(event.properties.products[0]).toMatchObject({
      product_id: '7234590408817',
      variant_id: '41327142600817',
      sku: null,
      brand: 'Hydrogen Vendor',
      price: 600,
    });
    expect(identityLinks(paid.signals)[0]?.identifiers).toEqual({
      customer_id: '7358220173425',
      email: 'henry@wfls.com',
      cart_token: 'Z2NwLXVzLWVhc3QxOjAxSkJaTUVRSjgzNUJUN1BTNjEzRFdRUFFQ',
      checkout_token: '84ad78572dae52a8cbea7d55371afe89',
    });
  });

  it('does not copy the embedded customer consent of a pre-2025-01 order into the profile', () => {
    expect(paid.people[0]?.attributes).not.toHaveProperty('accepts_email_marketing');
    expect(paid.people[0]?.attributes).toMatchObject({ created_at: 1729713791, country_code: 'US' });
  });

  it('normalizes the phone to E.164 with the shipping country', () => {
    const order = shopifySampleObject('orders-create.rudderstack.json');
    const output = normalizedOf('orders/create', { ...order, phone: '(415) 555-2671' });
    expect(output.events[0]?.person.phone).toBe('+14155552671');
    expect(identityLinks(output.signals)[0]?.identifiers.phone).toBe('+14155552671');
  });
});

describe('orders/updated (real capture)', () => {
  const output = normalizeShopifySample('orders/updated', 'orders-updated.rudderstack.json');

  it('emits no event, only an identify keyed on updated_at and an identity link', () => {
    expect(output.events).toEqual([]);
    expect(output.people).toHaveLength(1);
    expect(output.people[0]?.dedupe_key).toBe(
      `identify#${TEST_SHOP}#order#5778367414385#2024-11-06T02:54:50.000Z`,
    );
    expect(output.people[0]?.attributes).toMatchObject({ email: 'henry@wfls.com', locale: 'en-US' });
    expect(identityLinks(output.signals)[0]?.identifiers.checkout_token).toBe(
      '84ad78572dae52a8cbea7d55371afe89',
    );
  });

  it('gives a later edit a new key and a retry the same key', () => {
    const order = shopifySampleObject('orders-updated.rudderstack.json');
    const retry = normalizedOf('orders/updated', order);
    const later = normalizedOf('orders/updated', { ...order, updated_at: '2024-11-06T09:00:00-05:00' });
    expect(retry.people[0]?.dedupe_key).toBe(output.people[0]?.dedupe_key);
    expect(later.people[0]?.dedupe_key).toBe(
      `identify#${TEST_SHOP}#order#5778367414385#2024-11-06T14:00:00.000Z`,
    );
  });
});

describe('orders/cancelled', () => {
  it('maps the reference sample to Order Cancelled with the cancel reason', () => {
    const output = normalizeShopifySample('orders/cancelled', 'orders-cancelled.json');
    const event = onlyEvent(output);
    if (event.name !== 'Order Cancelled') throw new Error(event.name);
    expect(event.dedupe_key).toBe(`order-cancelled#${TEST_SHOP}#820982911946154508`);
    expect(event.occurred_at).toBe('2022-01-01T00:00:00.000Z');
    expect(event.properties).toMatchObject({
      order_id: '820982911946154508',
      cancel_reason: 'customer',
      cancelled_at: '2022-01-01T00:00:00.000Z',
      total: 404.95,
      currency: 'USD',
      item_count: 5,
    });
    expect(output.people).toEqual([]);
    expect(identityLinks(output.signals)).toHaveLength(1);
  });

  it('rejects the trimmed real capture (no id, currency or created_at) with a readable summary', () => {
    const body = readShopifySample('orders-cancelled.rudderstack.json');
    expect(() => normalizeShopify('orders/cancelled', body)).toThrow(PayloadValidationError);
    try {
      normalizeShopify('orders/cancelled', body);
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      expect(error.message).toBe('shopify orders/cancelled payload does not match its schema');
      expect(error.summary).toContain('→ at id');
      expect(error.summary).toContain('→ at currency');
      expect(error.summary).toContain('→ at created_at');
    }
  });
});

describe('orders/fulfilled', () => {
  // No published orders/fulfilled sample has fulfillments; these follow Shopify's Fulfillment resource fields.
  const order = shopifySampleObject('orders-create.json');
  const fulfilled = {
    ...order,
    fulfillment_status: 'fulfilled',
    fulfillments: [
      {
        id: 255858046,
        created_at: '2022-01-03T10:00:00-05:00',
        status: 'success',
        tracking_company: 'UPS',
        tracking_number: '1Z2345',
        tracking_numbers: ['1Z2345'],
        tracking_url: 'https://www.ups.com/WebTracking?trackNums=1Z2345',
        tracking_urls: ['https://www.ups.com/WebTracking?trackNums=1Z2345'],
      },
      {
        id: 255858047,
        created_at: '2022-01-04T08:30:00-05:00',
        status: 'success',
        tracking_company: 'Canada Post',
        tracking_number: null,
        tracking_numbers: ['7777', '8888'],
        tracking_url: null,
        tracking_urls: [],
      },
      {
        id: 255858048,
        created_at: '2022-01-05T08:30:00-05:00',
        status: 'cancelled',
        tracking_number: 'VOID',
      },
    ],
  };

  it('emits Order Fulfilled with every live shipment and its tracking', () => {
    const event = onlyEvent(normalizedOf('orders/fulfilled', fulfilled));
    if (event.name !== 'Order Fulfilled') throw new Error(event.name);
    expect(event.dedupe_key).toBe(`order-fulfilled#${TEST_SHOP}#820982911946154508`);
    expect(event.occurred_at).toBe('2022-01-04T13:30:00.000Z');
    expect(event.properties.fulfillment_status).toBe('fulfilled');
    expect(event.properties.tracking_numbers).toEqual(['1Z2345', '7777', '8888']);
    expect(event.properties.tracking_urls).toEqual(['https://www.ups.com/WebTracking?trackNums=1Z2345']);
    expect(event.properties.shipments).toEqual([
      {
        fulfillment_id: '255858046',
        status: 'success',
        tracking_company: 'UPS',
        tracking_numbers: ['1Z2345'],
        tracking_urls: ['https://www.ups.com/WebTracking?trackNums=1Z2345'],
      },
      {
        fulfillment_id: '255858047',
        status: 'success',
        tracking_company: 'Canada Post',
        tracking_numbers: ['7777', '8888'],
        tracking_urls: [],
      },
    ]);
    expect(event.properties.products).toHaveLength(5);
  });

  it('still fires on the reference sample without fulfillments, at the order update time', () => {
    const event = onlyEvent(normalizeShopifySample('orders/fulfilled', 'orders-create.json'));
    if (event.name !== 'Order Fulfilled') throw new Error(event.name);
    expect(event.occurred_at).toBe('2022-01-01T00:00:00.000Z');
    expect(event.properties.tracking_numbers).toEqual([]);
    expect(event.properties.shipments).toEqual([]);
  });

  it('rejects a fulfillment without an id', () => {
    const bad = { ...order, fulfillments: [{ status: 'success' }] };
    expect(() => normalizeShopify('orders/fulfilled', JSON.stringify(bad))).toThrow(
      /does not match its schema/,
    );
  });
});

describe('order timestamps', () => {
  it('turn an unreadable timestamp into a validation error, not a crash', () => {
    const order = shopifySampleObject('orders-create.json');
    try {
      normalizeShopify('orders/create', JSON.stringify({ ...order, created_at: 'yesterday' }));
      expect.unreachable();
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      expect(error.summary).toContain('ISO 8601 timestamp');
      expect(error.summary).toContain('→ at created_at');
    }
  });
});
