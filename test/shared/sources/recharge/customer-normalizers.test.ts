import { describe, expect, it } from 'vitest';
import { PersonUpdateSchema } from '../../../../shared/canonical/person.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { identityLinks } from '../../../../shared/identity/identity-signal.js';
import {
  normalizedRecharge,
  normalizeRechargeSample,
  RECHARGE_SHOP,
  rechargeSampleObject,
} from '../../../helpers/recharge-envelope.js';

const customer = (changes: Record<string, unknown>) => ({
  customer: {
    ...(rechargeSampleObject('customer-created.json').customer as Record<string, unknown>),
    ...changes,
  },
});

describe('customer/created (2021-11 stand-in)', () => {
  const output = normalizeRechargeSample('customer/created', 'customer-created.json');

  it('emits one identify with the Recharge id and email, ordered by updated_at', () => {
    expect(output.events).toEqual([]);
    expect(output.people.map((p) => PersonUpdateSchema.parse(p))).toEqual([
      {
        dedupe_key: `identify#${RECHARGE_SHOP}#recharge-customer#82940007#2022-03-09T02:36:35.000Z`,
        source: 'recharge',
        shop: RECHARGE_SHOP,
        occurred_at: '2022-03-09T02:36:35.000Z',
        person: { email: 'testtesttest5@test.dk', recharge_customer_id: '82940007' },
        attributes: {
          email: 'testtesttest5@test.dk',
          first_name: 'Niels',
          last_name: 'Bohr',
          recharge_customer_id: '82940007',
          created_at: 1646793395,
        },
      },
    ]);
  });

  it('links the Recharge id and the email', () => {
    expect(identityLinks(output.signals)).toEqual([
      {
        type: 'identity_link',
        trusted: true,
        identifiers: { recharge_customer_id: '82940007', email: 'testtesttest5@test.dk' },
        observed_at: '2022-03-09T02:36:35.000Z',
      },
    ]);
  });
});

describe('customer/updated', () => {
  it('adds the Shopify customer id (2021-11 external_customer_id.ecommerce) and keys each change separately', () => {
    const output = normalizedRecharge(
      'customer/updated',
      customer({ external_customer_id: { ecommerce: '3895947395222' }, updated_at: '2022-04-01T00:00:00' }),
    );
    const [update] = output.people;
    expect(update?.person).toEqual({
      customer_id: '3895947395222',
      email: 'testtesttest5@test.dk',
      recharge_customer_id: '82940007',
    });
    expect(update?.attributes.shopify_customer_id).toBe('3895947395222');
    expect(update?.dedupe_key).toBe(
      `identify#${RECHARGE_SHOP}#recharge-customer#82940007#2022-04-01T00:00:00.000Z`,
    );
    expect(identityLinks(output.signals)[0]?.identifiers).toEqual({
      recharge_customer_id: '82940007',
      customer_id: '3895947395222',
      email: 'testtesttest5@test.dk',
    });
  });

  it('reads the 2021-01 shopify_customer_id and lower-cases the email', () => {
    const output = normalizedRecharge(
      'customer/updated',
      customer({ external_customer_id: undefined, shopify_customer_id: '901', email: ' Niels@Bohr.DK ' }),
    );
    expect(output.people[0]?.person).toEqual({
      customer_id: '901',
      email: 'niels@bohr.dk',
      recharge_customer_id: '82940007',
    });
  });

  it('throws PayloadValidationError for a customer without an id', () => {
    expect(() => normalizedRecharge('customer/updated', customer({ id: null }))).toThrow(
      PayloadValidationError,
    );
  });
});
