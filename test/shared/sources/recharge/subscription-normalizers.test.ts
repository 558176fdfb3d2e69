import { describe, expect, it } from 'vitest';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { identityLinks } from '../../../../shared/identity/identity-signal.js';
import { onlyEvent } from '../../../helpers/canonical-output.js';
import {
  normalizedRecharge,
  normalizeRecharge,
  normalizeRechargeSample,
  RECHARGE_SHOP,
  rechargeSampleObject,
} from '../../../helpers/recharge-envelope.js';

const withSubscription = (file: string, changes: Record<string, unknown>) => {
  const sample = rechargeSampleObject(file);
  return { subscription: { ...(sample.subscription as Record<string, unknown>), ...changes } };
};

describe('subscription/created (2021-11, boxesapp capture)', () => {
  const output = normalizeRechargeSample('subscription/created', 'subscription-created.boxesapp.json');
  const event = onlyEvent(output);

  it('emits one Subscription Started per shop and subscription, dated at creation', () => {
    expect(event.name).toBe('Subscription Started');
    expect(event.dedupe_key).toBe(`subscription-started#${RECHARGE_SHOP}#471060924`);
    expect(event.source).toBe('recharge');
    expect(event.shop).toBe(RECHARGE_SHOP);
    expect(event.occurred_at).toBe('2024-04-02T01:22:09.000Z');
  });

  it('knows only the Recharge customer id (2021-11 subscriptions carry no email)', () => {
    expect(event.person).toEqual({ recharge_customer_id: '84185810' });
    expect(output.people).toEqual([]);
    expect(output.signals).toEqual([]);
  });

  it('maps the product, price, currency and cadence, with the product as one canonical line item', () => {
    expect(event.properties).toEqual({
      subscription_id: '471060924',
      status: 'active',
      product_id: '7542485909654',
      variant_id: '43184327688342',
      product_name: 'Custom Vege Box',
      variant_name: 'Friday',
      sku: null,
      quantity: 1,
      price: 2,
      currency: 'NZD',
      products: [
        {
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
          image_url: null,
        },
      ],
      order_interval_frequency: 1,
      order_interval_unit: 'week',
      charge_interval_frequency: 1,
      next_charge_scheduled_at: '2024-04-09',
    });
  });
});

describe('subscription/created (2021-11, RechargeSharp stand-in)', () => {
  const event = onlyEvent(normalizeRechargeSample('subscription/created', 'subscription-created.json'));

  it('emits Subscription Started with a null currency when presentment_currency is null', () => {
    expect(event.name).toBe('Subscription Started');
    expect(event.dedupe_key).toBe(`subscription-started#${RECHARGE_SHOP}#1111111`);
    expect(event.person).toEqual({ recharge_customer_id: '33333333' });
    expect(event.properties).toMatchObject({
      product_id: '123123',
      variant_id: '23123123123',
      price: 49,
      currency: null,
      quantity: 1,
      order_interval_frequency: 30,
      order_interval_unit: 'day',
    });
  });
});

describe('subscription/created (2021-01 capture with shopify_* fields)', () => {
  const event = onlyEvent(
    normalizeRechargeSample('subscription/created', 'subscription-created.legacy.json'),
  );

  it('reads shopify_product_id/shopify_variant_id, lower-cases ACTIVE and takes offset-less times as UTC', () => {
    expect(event.dedupe_key).toBe(`subscription-started#${RECHARGE_SHOP}#24216075`);
    expect(event.occurred_at).toBe('2018-11-23T05:23:27.000Z');
    expect(event.person).toEqual({ recharge_customer_id: '16401639' });
    expect(event.properties).toMatchObject({
      subscription_id: '24216075',
      status: 'active',
      product_id: '1531595554927',
      variant_id: '13659551989871',
      product_name: 'VIP Member  Auto renew',
      variant_name: null,
      price: 0.01,
      currency: null,
      order_interval_frequency: 1,
      order_interval_unit: 'month',
      charge_interval_frequency: 1,
      next_charge_scheduled_at: null,
    });
  });
});

describe('subscription/activated (2021-11 stand-in)', () => {
  const event = onlyEvent(normalizeRechargeSample('subscription/activated', 'subscription-activated.json'));

  it('emits Subscription Reactivated keyed per activation (updated_at), so a later reactivation is not a duplicate', () => {
    expect(event.name).toBe('Subscription Reactivated');
    expect(event.dedupe_key).toBe(`subscription-reactivated#${RECHARGE_SHOP}#11111#2022-03-11T10:41:41.000Z`);
    expect(event.occurred_at).toBe('2022-03-11T10:41:41.000Z');
    expect(event.person).toEqual({ recharge_customer_id: '333333' });
    expect(event.properties).toMatchObject({
      status: 'active',
      quantity: 4,
      price: 49,
      next_charge_scheduled_at: '2022-04-09',
    });
    const later = onlyEvent(
      normalizedRecharge(
        'subscription/activated',
        withSubscription('subscription-activated.json', { updated_at: '2022-05-01T08:00:00+00:00' }),
      ),
    );
    expect(later.dedupe_key).not.toBe(event.dedupe_key);
  });
});

describe('subscription/cancelled (2021-11 stand-in)', () => {
  const event = onlyEvent(normalizeRechargeSample('subscription/cancelled', 'subscription-cancelled.json'));

  it('emits Subscription Cancelled with the reason, dated and keyed by cancelled_at', () => {
    expect(event.name).toBe('Subscription Cancelled');
    expect(event.dedupe_key).toBe(`subscription-cancelled#${RECHARGE_SHOP}#11111#2022-03-11T10:19:18.637Z`);
    expect(event.occurred_at).toBe('2022-03-11T10:19:18.637Z');
    expect(event.properties).toMatchObject({
      subscription_id: '11111',
      status: 'cancelled',
      cancellation_reason: 'some reason',
      cancellation_reason_comments: 'comments go here',
      next_charge_scheduled_at: null,
    });
  });

  it('lower-cases an upper-case 2021-01 status', () => {
    const upper = onlyEvent(
      normalizedRecharge(
        'subscription/cancelled',
        withSubscription('subscription-cancelled.json', { status: 'CANCELLED' }),
      ),
    );
    expect(upper.properties).toMatchObject({ status: 'cancelled' });
  });
});

describe('subscription/skipped (no sample exists; derived from the 2021-11 stand-in)', () => {
  it('emits Subscription Skipped keyed per skip (updated_at)', () => {
    const event = onlyEvent(
      normalizedRecharge(
        'subscription/skipped',
        withSubscription('subscription-created.json', {
          updated_at: '2022-03-20T09:00:00+00:00',
          next_charge_scheduled_at: '2022-05-09',
        }),
      ),
    );
    expect(event.name).toBe('Subscription Skipped');
    expect(event.dedupe_key).toBe(`subscription-skipped#${RECHARGE_SHOP}#1111111#2022-03-20T09:00:00.000Z`);
    expect(event.properties).toMatchObject({ next_charge_scheduled_at: '2022-05-09' });
  });
});

describe('subscription/updated and subscription/unskipped (identity only)', () => {
  it('emit no event; a subscription naming only the Recharge id is ignored', () => {
    for (const topic of ['subscription/updated', 'subscription/unskipped']) {
      const result = normalizeRecharge(
        topic,
        JSON.stringify(rechargeSampleObject('subscription-created.json')),
      );
      expect(result).toEqual({ kind: 'ignored', reason: `${topic} carries no event and no identifier pair` });
    }
  });

  it('pass on a trusted identity link when the subscription names a second identifier', () => {
    const output = normalizedRecharge(
      'subscription/updated',
      withSubscription('subscription-created.legacy.json', {
        email: 'VIP@Example.com',
        shopify_customer_id: 901,
      }),
    );
    expect(output.events).toEqual([]);
    expect(identityLinks(output.signals)).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: { recharge_customer_id: '16401639', customer_id: '901', email: 'vip@example.com' },
        observed_at: '2018-10-09T05:23:28.000Z',
      },
    ]);
  });
});

describe('invalid subscription payloads', () => {
  it('throw PayloadValidationError with a readable summary', () => {
    const run = () =>
      normalizedRecharge('subscription/created', { subscription: { id: 1, status: 'active' } });
    expect(run).toThrow(PayloadValidationError);
    try {
      run();
    } catch (error) {
      expect((error as PayloadValidationError).summary).toContain('customer_id');
    }
  });

  it('reject an unparseable timestamp as a permanent payload error', () => {
    expect(() =>
      normalizedRecharge(
        'subscription/created',
        withSubscription('subscription-created.json', { created_at: 'yesterday' }),
      ),
    ).toThrow(PayloadValidationError);
  });
});
