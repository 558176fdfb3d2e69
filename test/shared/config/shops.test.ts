import { describe, expect, it } from 'vitest';
import { normalizeDomain, ShopsConfigSchema, shopDirectory } from '../../../shared/config/shops.js';

describe('normalizeDomain', () => {
  it.each([
    ['Demo.myshopify.com', 'demo.myshopify.com'],
    ['  demo.myshopify.com\t', 'demo.myshopify.com'],
    ['demo.myshopify.com.', 'demo.myshopify.com'],
    ['DEMO.MYSHOPIFY.COM.', 'demo.myshopify.com'],
    ['shop.example.co.uk', 'shop.example.co.uk'],
  ])('%j → %s', (raw, expected) => {
    expect(normalizeDomain(raw)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'localhost',
    'demo.myshopify.com..',
    'demo .myshopify.com',
    'demo.myshopify.com:443',
    'https://demo.myshopify.com',
    'demo.myshopify.com/admin',
    '-demo.myshopify.com',
    'démo.myshopify.com',
    'DEMO.MYSHOPİFY.COM',
    `${'a'.repeat(64)}.myshopify.com`,
  ])('refuses %j', (raw) => {
    expect(normalizeDomain(raw)).toBeUndefined();
  });
});

describe('ShopsConfigSchema and the shop directory', () => {
  const config = ShopsConfigSchema.parse({
    'UK.myshopify.com': { customDomains: ['Shop.Example.co.uk.'], workspace: 'eu', customerIdPrefix: 'uk-' },
    'us.myshopify.com': {},
  });
  const shops = shopDirectory(config);

  it('normalizes keys and custom domains, and fills in defaults', () => {
    expect(Object.keys(config)).toEqual(['uk.myshopify.com', 'us.myshopify.com']);
    expect(config['uk.myshopify.com']?.customDomains).toEqual(['shop.example.co.uk']);
    expect(config['us.myshopify.com']).toEqual({
      workspace: 'default',
      customerIdPrefix: '',
      customDomains: [],
    });
  });

  it('resolves every spelling of a configured shop or its custom domain, and nothing else', () => {
    expect(shops.resolve(' UK.myshopify.com. ')).toBe('uk.myshopify.com');
    expect(shops.resolve('shop.example.co.uk')).toBe('uk.myshopify.com');
    expect(shops.resolve('evil-uk.myshopify.com')).toBeUndefined();
    expect(shops.resolve('uk.myshopify.com.evil.example')).toBeUndefined();
    expect(shops.resolve(undefined)).toBeUndefined();
    expect(shops.settings('__proto__')).toBeUndefined();
  });

  it('refuses a shop listed twice in two spellings, a non-myshopify key, and a custom domain of two shops', () => {
    expect(ShopsConfigSchema.safeParse({ 'a.myshopify.com': {}, 'A.myshopify.com': {} }).success).toBe(false);
    expect(ShopsConfigSchema.safeParse({ 'shop.example': {} }).success).toBe(false);
    expect(
      ShopsConfigSchema.safeParse({
        'a.myshopify.com': { customDomains: ['shop.example'] },
        'b.myshopify.com': { customDomains: ['shop.example'] },
      }).success,
    ).toBe(false);
    expect(ShopsConfigSchema.safeParse({ 'a.myshopify.com': { unknown: true } }).success).toBe(false);
  });
});
