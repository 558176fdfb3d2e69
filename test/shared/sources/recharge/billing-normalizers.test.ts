import { describe, expect, it } from 'vitest';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { identityLinks } from '../../../../shared/identity/identity-signal.js';
import { orderCompletedKey } from '../../../../shared/sources/shopify/order-normalizers.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import {
  normalizedRecharge,
  normalizeRecharge,
  normalizeRechargeSample,
  RECHARGE_SHOP,
  rechargeSampleObject,
} from '../../../helpers/recharge-envelope.js';

const queuedCharge = () =>
  rechargeSampleObject('charge-created.boxesapp.json').charge as Record<string, unknown>;

/** The 2021-11 charge as it would look once paid (no real 2021-11 charge/paid sample exists). */
const paidCharge = () => ({
  charge: {
    ...queuedCharge(),
    status: 'success',
    processed_at: '2024-04-09T06:00:05+00:00',
    updated_at: '2024-04-09T06:00:07+00:00',
    external_order_id: { ecommerce: '5551234567890' },
    external_order_name: { ecommerce: '#1042' },
  },
});

/** The legacy paid sample as a webhook sends it: the published PHP literal lacks the outer "charge" key. */
const legacyPaid = () => ({ charge: rechargeSampleObject('charge-paid.legacy.json') });

const vegeBoxLine = {
  product_id: '7542485909654',
  variant_id: '43184327688342',
  sku: null,
  name: 'Custom Vege Box',
  variant_name: 'Friday',
  brand: null,
  category: null,
  quantity: 1,
  price: 2,
  discount: 0,
  url: null,
  image_url:
    'https://cdn.shopify.com/s/files/1/0453/4475/1766/products/SmallVegeBox02_f3eee622-7445-4180-91b2-918bac5ca1d4.jpg?v=1659845759',
};

describe('charge/paid (2021-11, derived from the boxesapp charge)', () => {
  const output = normalizedRecharge('charge/paid', paidCharge());
  const event = onlyEvent(output);

  it("emits Order Completed under Shopify's key for the Shopify order, so it dedupes with orders/create", () => {
    expect(event.name).toBe('Order Completed');
    expect(event.dedupe_key).toBe(orderCompletedKey(RECHARGE_SHOP, '5551234567890'));
    expect(event.dedupe_key).toBe(`order-completed#${RECHARGE_SHOP}#5551234567890`);
    expect(event.occurred_at).toBe('2024-04-09T06:00:05.000Z');
    expect(event.source).toBe('recharge');
  });

  it('names the buyer by Shopify id, email and Recharge id, and links the three', () => {
    expect(event.person).toEqual({
      customer_id: '3895947395222',
      email: 'cousinsd@proton.me',
      recharge_customer_id: '84185810',
    });
    expect(identityLinks(output.signals)).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: {
          recharge_customer_id: '84185810',
          customer_id: '3895947395222',
          email: 'cousinsd@proton.me',
        },
        observed_at: '2024-04-09T06:00:05.000Z',
      },
    ]);
  });

  it('maps money in major units, the currency and the line items', () => {
    expect(event.properties).toEqual({
      order_id: '5551234567890',
      order_number: '#1042',
      checkout_id: null,
      cart_id: null,
      total: 2,
      subtotal: 2,
      tax: 0,
      shipping: 0,
      shipping_method: 'Queued',
      discount: 0,
      currency: 'NZD',
      presentment_currency: null,
      presentment_total: null,
      discount_codes: [],
      coupon: null,
      products: [vegeBoxLine],
      item_count: 1,
      financial_status: 'paid',
      is_test: false,
    });
  });
});

describe('charge/paid without a Shopify order (the queued boxesapp charge as sent)', () => {
  it('emits no Order Completed (order/created reports it) but still links the identifiers', () => {
    const output = normalizeRechargeSample('charge/paid', 'charge-created.boxesapp.json');
    expect(output.events).toEqual([]);
    expect(identityLinks(output.signals)[0]?.identifiers).toEqual({
      recharge_customer_id: '84185810',
      customer_id: '3895947395222',
      email: 'cousinsd@proton.me',
    });
  });
});

describe('charge/paid (2021-01 legacy sample)', () => {
  it('emits no Order Completed because a 2021-01 charge states no currency; links Recharge id and email', () => {
    const output = normalizedRecharge('charge/paid', legacyPaid());
    expect(output.events).toEqual([]);
    expect(identityLinks(output.signals)).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: {
          recharge_customer_id: '17818803',
          email: 'support123128742981274981247219874@rechargepayments.com',
        },
        observed_at: '2018-10-15T10:35:07.000Z',
      },
    ]);
  });

  it('maps the legacy fields once a currency is known', () => {
    const { charge } = legacyPaid();
    const event = onlyEvent(normalizedRecharge('charge/paid', { charge: { ...charge, currency: 'usd' } }));
    expect(event.dedupe_key).toBe(orderCompletedKey(RECHARGE_SHOP, '629761015896'));
    expect(event.occurred_at).toBe('2018-10-08T12:52:49.000Z');
    expect(event.person).toEqual({
      email: 'support123128742981274981247219874@rechargepayments.com',
      recharge_customer_id: '17818803',
    });
    expect(event.properties).toMatchObject({
      order_id: '629761015896',
      total: 888.8,
      subtotal: 888.8,
      discount: 121.2,
      tax: 0,
      shipping_method: 'Standard Shipping 2',
      currency: 'USD',
      discount_codes: ['test|jana=12'],
      coupon: 'test|jana=12',
      item_count: 2,
    });
    if (event.name !== 'Order Completed') throw new Error('expected Order Completed');
    expect(event.properties.products.map((p) => [p.product_id, p.variant_id, p.price, p.brand])).toEqual([
      ['6032558662', '19099995014', 1000, 'Example Storeeeeeee'],
      ['9056368134', '33049846854', 10, 'Example Store'],
    ]);
  });
});

describe('charge/failed (2021-01 legacy sample)', () => {
  const output = normalizeRechargeSample('charge/failed', 'charge-failed.legacy.json');
  const event = onlyEvent(output);

  it('emits Subscription Charge Failed for this attempt with the subscription ids and money', () => {
    expect(event.name).toBe('Subscription Charge Failed');
    expect(event.dedupe_key).toBe(
      `subscription-charge-failed#${RECHARGE_SHOP}#96427368#2018-11-02T05:45:16.000Z`,
    );
    expect(event.occurred_at).toBe('2018-11-02T05:45:16.000Z');
    expect(event.person).toEqual({ email: 'shrikant16@yopmail.com', recharge_customer_id: '17867196' });
    expect(event.properties).toEqual({
      charge_id: '96427368',
      subscription_ids: ['25816866'],
      status: 'failed',
      error: null,
      error_type: null,
      retry_date: null,
      max_retries_reached: false,
      total: 0.5,
      currency: null,
      products: [
        {
          product_id: '1531595554927',
          variant_id: '13659551989871',
          sku: null,
          name: 'VIP Member',
          variant_name: '1',
          brand: 'korafitness-dev',
          category: null,
          quantity: 1,
          price: 0.5,
          discount: 0,
          url: null,
          image_url: null,
        },
      ],
    });
    expect(identityLinks(output.signals)).toHaveLength(1);
  });

  it('charge/max_retries_reached emits a distinct final event for the same charge', () => {
    const final = onlyEvent(
      normalizeRechargeSample('charge/max_retries_reached', 'charge-failed.legacy.json'),
    );
    expect(final.name).toBe('Subscription Charge Failed');
    expect(final.dedupe_key).toBe(`subscription-charge-failed#${RECHARGE_SHOP}#96427368#max-retries`);
    expect(final.properties).toMatchObject({ max_retries_reached: true, retry_date: null });
  });
});

describe('charge/failed (2021-11, derived from the boxesapp charge)', () => {
  it('carries the error, the retry date and the currency; a later attempt gets its own key', () => {
    const failed = {
      charge: {
        ...queuedCharge(),
        status: 'error',
        error: 'Card declined',
        error_type: 'CLOSED_MAX_RETRIES_REACHED',
        retry_date: '2024-04-12T00:00:00+00:00',
      },
    };
    const event = onlyEvent(normalizedRecharge('charge/failed', failed));
    expect(event.properties).toMatchObject({
      charge_id: '1049090665',
      subscription_ids: ['471060924'],
      status: 'error',
      error: 'Card declined',
      retry_date: '2024-04-12T00:00:00+00:00',
      total: 2,
      currency: 'NZD',
    });
    expect(event.person).toEqual({
      customer_id: '3895947395222',
      email: 'cousinsd@proton.me',
      recharge_customer_id: '84185810',
    });
    const retry = onlyEvent(
      normalizedRecharge('charge/failed', {
        charge: { ...failed.charge, updated_at: '2024-04-12T00:01:00+00:00' },
      }),
    );
    expect(retry.dedupe_key).toBe(
      `subscription-charge-failed#${RECHARGE_SHOP}#1049090665#2024-04-12T00:01:00.000Z`,
    );
    expect(retry.dedupe_key).not.toBe(event.dedupe_key);
  });
});

describe('order/created (no sample exists; 2021-11 shape derived from the boxesapp charge)', () => {
  const order = (changes: Record<string, unknown>) => ({
    order: {
      ...queuedCharge(),
      id: 778899001,
      charge: { id: 1049090665 },
      status: 'success',
      processed_at: '2024-04-09T06:00:06+00:00',
      external_order_id: { ecommerce: '5551234567890' },
      external_order_name: { ecommerce: '#1042' },
      ...changes,
    },
  });

  it('emits Order Completed under the same key as charge/paid and Shopify for the same Shopify order', () => {
    const event = onlyEvent(normalizedRecharge('order/created', order({})));
    const fromCharge = onlyEvent(normalizedRecharge('charge/paid', paidCharge()));
    expect(event.dedupe_key).toBe(orderCompletedKey(RECHARGE_SHOP, '5551234567890'));
    expect(event.id).toBe(fromCharge.id);
    expect(event.properties).toMatchObject({
      order_id: '5551234567890',
      order_number: '#1042',
      total: 2,
      currency: 'NZD',
    });
  });

  it('emits no Order Completed before the Shopify order exists (Shopify reports it), only the identity link', () => {
    const output = normalizedRecharge('order/created', order({ external_order_id: { ecommerce: null } }));
    expect(output.events).toEqual([]);
    expect(identityLinks(output.signals)[0]?.identifiers).toEqual({
      recharge_customer_id: '84185810',
      customer_id: '3895947395222',
      email: 'cousinsd@proton.me',
    });
  });

  it('ignores a queued order (a future prepaid shipment, not a purchase) apart from its identity link', () => {
    const output = normalizedRecharge('order/created', order({ status: 'QUEUED' }));
    expect(output.events).toEqual([]);
    expect(identityLinks(output.signals)).toHaveLength(1);
  });

  it('reads 2021-01 orders (SUCCESS, shopify_order_id, shopify_order_number)', () => {
    const legacy = legacyPaid().charge;
    const event = onlyEvent(
      normalizedRecharge('order/created', {
        order: { ...legacy, id: 123, status: 'SUCCESS', currency: 'USD', shopify_order_number: 1001 },
      }),
    );
    expect(event.dedupe_key).toBe(orderCompletedKey(RECHARGE_SHOP, '629761015896'));
    expect(event.properties).toMatchObject({ order_number: '1001', total: 888.8 });
  });
});

describe('invalid charge payloads', () => {
  it('throw PayloadValidationError (the pipeline parks them in the DLQ)', () => {
    expect(() =>
      normalizeRecharge('charge/paid', JSON.stringify(rechargeSampleObject('charge-paid.legacy.json'))),
    ).toThrow(PayloadValidationError);
    expect(() =>
      normalizedRecharge('charge/failed', { charge: { ...queuedCharge(), total_price: 'free' } }),
    ).toThrow(PayloadValidationError);
  });
});
