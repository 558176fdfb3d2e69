import { describe, expect, it } from 'vitest';
import { AdminSecretsSchema, adminSecretsFor } from '../../../shared/config/admin-secrets.js';

describe('the Admin API secret', () => {
  it('binds credentials to a shop whatever the key’s spelling', () => {
    const document = AdminSecretsSchema.parse({
      shops: {
        'Brand.MyShopify.com.': { shopify: { adminAccessToken: 'shpat_1' }, recharge: { apiToken: 'rc' } },
      },
    });

    expect(adminSecretsFor(document, ' brand.myshopify.com')).toEqual({
      shopify: { adminAccessToken: 'shpat_1' },
      recharge: { apiToken: 'rc' },
    });
    expect(adminSecretsFor(document, 'other.myshopify.com')).toBeUndefined();
    expect(adminSecretsFor(document, '__proto__')).toBeUndefined();
  });

  it.each([
    ['a key that is not a shop', { shops: { 'brand.com': {} } }],
    ['a shop written twice', { shops: { 'a.myshopify.com': {}, 'A.myshopify.com': {} } }],
    ['an unknown platform', { shops: { 'a.myshopify.com': { klaviyo: { apiKey: 'x' } } } }],
    ['an empty token', { shops: { 'a.myshopify.com': { shopify: { adminAccessToken: ' ' } } } }],
  ])('refuses %s', (_, document) => {
    expect(AdminSecretsSchema.safeParse(document).success).toBe(false);
  });
});
