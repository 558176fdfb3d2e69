import { describe, expect, it } from 'vitest';
import { PersonDeletionSchema } from '../../../../shared/canonical/person.js';
import { PayloadValidationError } from '../../../../shared/errors.js';
import { normalizeShopify, readShopifySample, TEST_SHOP } from '../../../helpers/shopify-envelope.js';

describe('app/uninstalled', () => {
  it('is acknowledged with a reason', () => {
    expect(normalizeShopify('app/uninstalled', readShopifySample('app-uninstalled.json'))).toEqual({
      kind: 'ignored',
      reason: 'app uninstalled: nothing to send to Customer.io; shop/redact follows within 48 hours',
    });
  });
});

describe('customers/data_request', () => {
  it('is acknowledged with a reason that names the request but no personal data', () => {
    const result = normalizeShopify(
      'customers/data_request',
      readShopifySample('customers-data-request.json'),
    );
    expect(result).toEqual({
      kind: 'ignored',
      reason:
        'customer data request 9999: the connector holds no customer data to report; export the person from Customer.io',
    });
    expect(JSON.stringify(result)).not.toContain('john@example.com');
  });

  it('rejects a request without shop_id with a readable summary', () => {
    try {
      normalizeShopify(
        'customers/data_request',
        JSON.stringify({ shop_domain: 'x.myshopify.com', customer: {} }),
      );
      expect.unreachable();
    } catch (error) {
      if (!(error instanceof PayloadValidationError)) throw error;
      expect(error.message).toBe('shopify customers/data_request payload does not match its schema');
      expect(error.summary).toContain('→ at shop_id');
    }
  });
});

describe('customers/redact', () => {
  it('requests a Customer.io deletion by customer id and by email (with the orders to redact), keyed without the email', () => {
    const result = normalizeShopify('customers/redact', readShopifySample('customers-redact.json'));
    if (result.kind !== 'normalized') throw new Error(result.reason);
    expect(result.events).toEqual([]);
    expect(result.people).toEqual([]);
    expect(result.deletions?.map((d) => PersonDeletionSchema.parse(d))).toEqual([
      {
        dedupe_key: `delete#${TEST_SHOP}#redact#191167#id`,
        source: 'shopify',
        shop: TEST_SHOP,
        occurred_at: '2025-07-10T16:15:47.000Z',
        person: { customer_id: '191167' },
        order_ids: ['299938', '280263', '220458'],
      },
      {
        dedupe_key: `delete#${TEST_SHOP}#redact#191167#email`,
        source: 'shopify',
        shop: TEST_SHOP,
        occurred_at: '2025-07-10T16:15:47.000Z',
        person: { email: 'john@example.com' },
        order_ids: ['299938', '280263', '220458'],
      },
    ]);
  });

  it('keys a guest redact (email only) on the Shopify event id', () => {
    const body = JSON.stringify({
      shop_id: 954889,
      shop_domain: TEST_SHOP,
      customer: { email: 'Guest@Example.com' },
    });
    const result = normalizeShopify('customers/redact', body);
    if (result.kind !== 'normalized') throw new Error(result.reason);
    expect(result.deletions).toEqual([
      expect.objectContaining({
        dedupe_key: `delete#${TEST_SHOP}#redact#59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f#email`,
        person: { email: 'guest@example.com' },
      }),
    ]);
  });

  it('dates the deletion at receipt when the delivery has no X-Shopify-Triggered-At', () => {
    const body = readShopifySample('customers-redact.json');
    const result = normalizeShopify('customers/redact', body, { triggeredAt: undefined });
    if (result.kind !== 'normalized') throw new Error(result.reason);
    expect(result.deletions?.map((d) => d.occurred_at)).toEqual([
      '2025-07-10T16:15:48.120Z',
      '2025-07-10T16:15:48.120Z',
    ]);
  });

  it('ignores a redact that names nobody', () => {
    const body = JSON.stringify({
      shop_id: 954889,
      shop_domain: TEST_SHOP,
      customer: { phone: '555-625-1199' },
    });
    expect(normalizeShopify('customers/redact', body)).toEqual({
      kind: 'ignored',
      reason: 'customer redact names neither a customer id nor an email',
    });
  });

  it('rejects a redact without the customer object', () => {
    const body = JSON.stringify({ shop_id: 954889, shop_domain: TEST_SHOP });
    expect(() => normalizeShopify('customers/redact', body)).toThrow(PayloadValidationError);
  });
});

describe('shop/redact', () => {
  it('is acknowledged with a logged reason telling the operator what to do', () => {
    expect(normalizeShopify('shop/redact', readShopifySample('shop-redact.json'))).toEqual({
      kind: 'ignored',
      reason:
        "shop redact for shop 954889: operator must delete this shop's people from Customer.io and remove its configuration",
    });
  });

  it('rejects a payload that is not a shop redact', () => {
    expect(() => normalizeShopify('shop/redact', JSON.stringify({ shop: 1 }))).toThrow(
      /shop\/redact payload/,
    );
  });
});
