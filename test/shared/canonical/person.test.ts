import { describe, expect, it } from 'vitest';
import { PersonAttributesSchema, PersonDeletionSchema } from '../../../shared/canonical/person.js';

describe('person schemas', () => {
  it('accept consent attributes with Customer.io unsubscribed set to true', () => {
    const attributes = {
      accepts_email_marketing: false,
      email_marketing_state: 'unsubscribed',
      email_marketing_opt_in_level: 'confirmed_opt_in',
      accepts_sms_marketing: true,
      sms_marketing_state: 'subscribed',
      unsubscribed: true,
    };
    expect(PersonAttributesSchema.parse(attributes)).toEqual(attributes);
  });

  it('refuse unsubscribed: false (the connector never re-subscribes anyone)', () => {
    const result = PersonAttributesSchema.safeParse({ unsubscribed: false });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['unsubscribed']);
  });

  it('describe a privacy deletion by person reference', () => {
    const deletion = {
      dedupe_key: 'delete#snowdevil.myshopify.com#redact#191167#id',
      source: 'shopify',
      shop: 'snowdevil.myshopify.com',
      occurred_at: '2025-07-10T16:15:47.000Z',
      person: { customer_id: '191167' },
    };
    expect(PersonDeletionSchema.parse(deletion)).toEqual(deletion);
    expect(PersonDeletionSchema.safeParse({ ...deletion, dedupe_key: '' }).success).toBe(false);
  });
});
