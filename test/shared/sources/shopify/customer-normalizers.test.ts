import { describe, expect, it } from 'vitest';
import { PersonUpdateSchema } from '../../../../shared/canonical/person.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { identityLinks } from '../../../../shared/identity/identity-signal.js';
import type { Normalized } from '../../../../shared/normalize/normalizer.js';
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

const BOB = '706405506930370084';

describe.each([
  ['customers/create', 'customers-create.json'],
  ['customers/update', 'customers-update.json'],
])('%s (Shopify 2026-07 sample, no consent objects)', (topic, file) => {
  const output = normalizeShopifySample(topic, file);

  it('identifies the customer, keyed on updated_at, without touching consent', () => {
    expect(output.events).toEqual([]);
    expect(output.people).toHaveLength(1);
    const update = PersonUpdateSchema.parse(output.people[0]);
    expect(update.dedupe_key).toBe(`identify#${TEST_SHOP}#customer#${BOB}#2022-01-01T00:00:00.000Z`);
    expect(update.occurred_at).toBe('2022-01-01T00:00:00.000Z');
    expect(update.person).toEqual({ customer_id: BOB, email: 'bob@biller.com' });
    expect(update.attributes).toEqual({
      email: 'bob@biller.com',
      first_name: 'Bob',
      last_name: 'Biller',
      shopify_customer_id: BOB,
      city: 'Ottawa',
      country_code: 'CA',
      created_at: 1640995200,
    });
  });

  it('states a trusted identity link', () => {
    expect(identityLinks(output.signals)).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: { customer_id: BOB, email: 'bob@biller.com' },
        observed_at: '2022-01-01T00:00:00.000Z',
      },
    ]);
  });
});

describe('customers/update before API 2025-01 (consent objects present)', () => {
  const customer = shopifySampleObject('customers-update.json');

  it('maps email and SMS consent, and the phone to E.164 with the address country', () => {
    const output = normalizedOf('customers/update', {
      ...customer,
      phone: '613-555-0123',
      updated_at: '2024-11-05T10:00:00-05:00',
      email_marketing_consent: {
        state: 'subscribed',
        opt_in_level: 'single_opt_in',
        consent_updated_at: '2024-11-05T09:59:00-05:00',
      },
      sms_marketing_consent: { state: 'not_subscribed', opt_in_level: 'unknown', consent_updated_at: null },
    });
    const update = output.people[0];
    expect(update?.dedupe_key).toBe(`identify#${TEST_SHOP}#customer#${BOB}#2024-11-05T15:00:00.000Z`);
    expect(update?.person.phone).toBe('+16135550123');
    expect(update?.attributes).toMatchObject({
      phone: '+16135550123',
      accepts_email_marketing: true,
      email_marketing_state: 'subscribed',
      email_marketing_opt_in_level: 'single_opt_in',
      accepts_sms_marketing: false,
      sms_marketing_state: 'not_subscribed',
      sms_marketing_opt_in_level: 'unknown',
    });
    expect(update?.attributes).not.toHaveProperty('unsubscribed');
    expect(identityLinks(output.signals)[0]?.identifiers.phone).toBe('+16135550123');
  });

  it('sets Customer.io unsubscribed only on an explicit email unsubscribe', () => {
    const output = normalizedOf('customers/update', {
      ...customer,
      email_marketing_consent: { state: 'unsubscribed', opt_in_level: null, consent_updated_at: null },
      sms_marketing_consent: null,
    });
    expect(output.people[0]?.attributes).toMatchObject({
      accepts_email_marketing: false,
      email_marketing_state: 'unsubscribed',
      unsubscribed: true,
    });
    expect(output.people[0]?.attributes).not.toHaveProperty('accepts_sms_marketing');
  });

  it('rejects a customer without an id', () => {
    const { id: _dropped, ...bad } = customer;
    expect(() => normalizeShopify('customers/update', JSON.stringify(bad))).toThrow(PayloadValidationError);
  });
});

describe('customers_email_marketing_consent/update', () => {
  const topic = 'customers_email_marketing_consent/update';

  it('identifies with accepts_email_marketing and the state from the sample', () => {
    const output = normalizeShopifySample(topic, 'customers-email-marketing-consent-update.json');
    expect(output.people).toHaveLength(1);
    const update = PersonUpdateSchema.parse(output.people[0]);
    // consent_updated_at is null in the sample: the key falls back to X-Shopify-Event-Id, stable across retries
    expect(update.dedupe_key).toBe(
      `identify#${TEST_SHOP}#email-consent#${BOB}#59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f`,
    );
    expect(update.occurred_at).toBe('2025-07-10T16:15:47.000Z');
    expect(update.person).toEqual({ customer_id: BOB, email: 'bob@biller.com' });
    expect(update.attributes).toEqual({
      email: 'bob@biller.com',
      shopify_customer_id: BOB,
      accepts_email_marketing: false,
      email_marketing_state: 'not_subscribed',
    });
    expect(identityLinks(output.signals)[0]?.identifiers).toEqual({
      customer_id: BOB,
      email: 'bob@biller.com',
    });
  });

  it('marks an unsubscribe with Customer.io unsubscribed and keys it on consent_updated_at', () => {
    const output = normalizedOf(topic, {
      customer_id: BOB,
      email_address: 'Bob@Biller.com',
      email_marketing_consent: {
        state: 'unsubscribed',
        opt_in_level: 'confirmed_opt_in',
        consent_updated_at: '2025-03-01T12:00:00+01:00',
      },
    });
    expect(output.people[0]?.dedupe_key).toBe(
      `identify#${TEST_SHOP}#email-consent#${BOB}#2025-03-01T11:00:00.000Z`,
    );
    expect(output.people[0]?.occurred_at).toBe('2025-03-01T11:00:00.000Z');
    expect(output.people[0]?.attributes).toEqual({
      email: 'bob@biller.com',
      shopify_customer_id: BOB,
      accepts_email_marketing: false,
      email_marketing_state: 'unsubscribed',
      email_marketing_opt_in_level: 'confirmed_opt_in',
      unsubscribed: true,
    });
  });

  it('never sends unsubscribed: false on a re-subscribe', () => {
    const output = normalizedOf(topic, {
      customer_id: BOB,
      email_address: 'bob@biller.com',
      email_marketing_consent: { state: 'SUBSCRIBED', opt_in_level: null, consent_updated_at: null },
    });
    expect(output.people[0]?.attributes).toEqual({
      email: 'bob@biller.com',
      shopify_customer_id: BOB,
      accepts_email_marketing: true,
      email_marketing_state: 'subscribed',
    });
  });

  it('rejects a payload without the consent object', () => {
    try {
      normalizeShopify(topic, JSON.stringify({ customer_id: BOB, email_address: 'bob@biller.com' }));
      expect.unreachable();
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      expect(error.summary).toContain('→ at email_marketing_consent');
    }
  });
});

describe('customers_marketing_consent/update (SMS)', () => {
  const topic = 'customers_marketing_consent/update';

  it('ignores the sample, whose consent has no state, with a reason', () => {
    expect(normalizeShopify(topic, readShopifySample('customers-marketing-consent-update.json'))).toEqual({
      kind: 'ignored',
      reason: 'sms consent update carries no consent state',
    });
  });

  it('identifies with accepts_sms_marketing and the E.164 phone', () => {
    const output = normalizedOf(topic, {
      id: BOB,
      phone: '+1 613-555-0123',
      sms_marketing_consent: {
        state: 'subscribed',
        opt_in_level: 'single_opt_in',
        consent_updated_at: '2025-02-01T10:00:00Z',
        consent_collected_from: 'SHOPIFY',
      },
    });
    expect(output.people[0]?.dedupe_key).toBe(
      `identify#${TEST_SHOP}#sms-consent#${BOB}#2025-02-01T10:00:00.000Z`,
    );
    expect(output.people[0]?.person).toEqual({ customer_id: BOB, phone: '+16135550123' });
    expect(output.people[0]?.attributes).toEqual({
      phone: '+16135550123',
      shopify_customer_id: BOB,
      accepts_sms_marketing: true,
      sms_marketing_state: 'subscribed',
      sms_marketing_opt_in_level: 'single_opt_in',
    });
    expect(identityLinks(output.signals)[0]?.identifiers).toEqual({
      customer_id: BOB,
      phone: '+16135550123',
    });
  });

  it('rejects a payload without a customer id', () => {
    expect(() =>
      normalizeShopify(
        topic,
        JSON.stringify({ phone: null, sms_marketing_consent: { state: 'subscribed' } }),
      ),
    ).toThrow(/customers_marketing_consent\/update payload does not match its schema/);
  });
});

describe('cart-recovery consent signal', () => {
  const consentUpdate = (state: string) =>
    JSON.stringify({
      customer_id: 706405506930370000,
      email_address: 'bob@example.com',
      email_marketing_consent: {
        state,
        opt_in_level: 'single_opt_in',
        consent_updated_at: '2026-11-01T10:00:00-05:00',
      },
    });
  const signals = (state: string) => {
    const result = normalizeShopify('customers_email_marketing_consent/update', consentUpdate(state));
    if (result.kind !== 'normalized') throw new Error('expected output');
    return result.signals.filter((s) => s.type === 'marketing_consent');
  };

  it('marks an explicit unsubscribe, and a re-subscribe, for cart recovery', () => {
    expect(signals('unsubscribed')).toEqual([
      {
        type: 'marketing_consent',
        shop: TEST_SHOP,
        person: { customer_id: '706405506930370000', email: 'bob@example.com' },
        unsubscribed: true,
        observed_at: '2026-11-01T15:00:00.000Z',
      },
    ]);
    expect(signals('subscribed')).toMatchObject([{ unsubscribed: false }]);
  });

  it('says nothing for states that are not a decision (a guest who never opted in is still reachable)', () => {
    expect(signals('not_subscribed')).toEqual([]);
    expect(signals('pending')).toEqual([]);
  });
});

describe('per-shop default phone country', () => {
  const customerWithPhone = (phone: string, countryCode?: string) =>
    JSON.stringify({
      id: 42,
      email: 'ann@example.com',
      phone,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-11-01T00:00:00Z',
      ...(countryCode ? { default_address: { country_code: countryCode } } : {}),
    });
  const personOf = (body: string, phoneCountry?: string) => {
    const result = normalizeShopify(
      'customers/update',
      body,
      {},
      phoneCountry ? { phoneCountry } : undefined,
    );
    if (result.kind !== 'normalized') throw new Error('expected output');
    return result.people[0]?.person;
  };

  it('parses a number written without a country code with the shop default', () => {
    expect(personOf(customerWithPhone('(613) 555-0123'))?.phone).toBeUndefined();
    expect(personOf(customerWithPhone('(613) 555-0123'), 'CA')?.phone).toBe('+16135550123');
  });

  it('lets the address country win over the shop default', () => {
    expect(personOf(customerWithPhone('020 7946 0018', 'GB'), 'US')?.phone).toBe('+442079460018');
  });
});
