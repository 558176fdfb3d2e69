import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { maskPii, maskText, piiKindOfKey } from '../../../shared/operations/pii-mask.js';
import { readSample } from '../../helpers/fixtures.js';

const SAMPLES = resolve(import.meta.dirname, '..', '..', 'fixtures', 'samples');
const sampleFiles = readdirSync(SAMPLES, { recursive: true, encoding: 'utf8' }).filter(
  (f) => f.endsWith('.json') && !f.includes('hmac'),
);

/** Every non-empty string or number the sample holds under a key a person's data lives in (an independent list). */
const personalValues = (value: unknown, key = '', parent = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v) => personalValues(v, key, parent));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => personalValues(v, k, key));
  }
  if (typeof value !== 'string' && typeof value !== 'number') return [];
  const text = String(value);
  if (text.length < 3) return [];
  const personal =
    /^(e?mail|.*_email|email_address|customerEmail|contact_email|phone|first_name|last_name|address[12]|zip|city|author|company|note|browser_ip)$/i.test(
      key,
    ) ||
    (key === 'name' && /address|customer|reviewer/.test(parent));
  return personal ? [text] : [];
};

describe('maskPii on every published sample', () => {
  it.each(sampleFiles)('%s: no email, phone, name or address value survives', (file) => {
    const raw = readSample(file);
    const { value, masked } = maskPii(parseJsonLossless(raw));
    const shown = JSON.stringify(value);
    const leaks = personalValues(parseJsonLossless(raw)).filter((v) => shown.includes(JSON.stringify(v)));
    expect(leaks).toEqual([]);
    expect(shown).not.toMatch(/[a-z0-9._%+-]+@[a-z0-9-]+\.[a-z]{2,}/i);
    if (personalValues(parseJsonLossless(raw)).length > 0) expect(masked).toBeGreaterThan(0);
  });

  it('keeps what an operator correlates with: ids, order names, products, amounts, countries', () => {
    const order = maskPii(parseJsonLossless(readSample('shopify/orders-create.json'))).value as Record<
      string,
      unknown
    >;
    expect(order.id).toBe('820982911946154508');
    expect(order.name).toBe('#9999');
    expect(order.currency).toBe('USD');
    expect((order.line_items as { name: string }[])[0]?.name).toBe('Aviator sunglasses');
    expect((order.billing_address as Record<string, unknown>).country_code).toBe('US');
    expect((order.billing_address as Record<string, unknown>).address1).toBe('[address]');
    expect((order.billing_address as Record<string, unknown>).phone).toBe('[phone]');
    expect(order.email).toBe('[email]');
  });
});

describe('maskPii on hostile shapes', () => {
  it('masks by key whatever the value looks like, in camelCase, nested arrays and numbers', () => {
    const { value, masked } = maskPii({
      data: {
        checkout: {
          billingAddress: { firstName: 'Ada', zip: 12345, countryCode: 'GB' },
          phone: 4155550100,
          emails: ['a@b.co', 'not-an-email'],
          customer: { name: 'Ada Lovelace', id: 7 },
        },
      },
    });
    expect(value).toEqual({
      data: {
        checkout: {
          billingAddress: { firstName: '[name]', zip: '[address]', countryCode: 'GB' },
          phone: '[phone]',
          emails: ['[email]', '[email]'],
          customer: { name: '[name]', id: 7 },
        },
      },
    });
    expect(masked).toBe(6);
  });

  it('keeps absence and booleans visible: a missing email often is the failure', () => {
    expect(maskPii({ email: null, phone: '', verified_email: true, first_name: undefined }).value).toEqual({
      email: null,
      phone: '',
      verified_email: true,
      first_name: undefined,
    });
  });

  it('keeps the ids inside an address (they correlate records; the address itself is masked)', () => {
    const address = {
      id: 207119551,
      customer_id: 115310627,
      address1: '1 Main St',
      city: 'Ottawa',
      country: 'CA',
    };
    expect(maskPii({ default_address: address }).value).toEqual({
      default_address: {
        id: 207119551,
        customer_id: 115310627,
        address1: '[address]',
        city: '[address]',
        country: 'CA',
      },
    });
  });

  it('walks into consent objects under personal keys instead of hiding their state', () => {
    expect(
      maskPii({ email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in' } }).value,
    ).toEqual({ email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in' } });
  });

  it('masks a string reviewer or author, and walks a reviewer object', () => {
    expect(maskPii({ author: 'John Doe', reviewer: { id: 4, name: 'Jo', email: 'jo@x.io' } }).value).toEqual({
      author: '[name]',
      reviewer: { id: 4, name: '[name]', email: '[email]' },
    });
  });

  it('finds emails and phone numbers inside free text, but not ids or dates', () => {
    const { value, masked } = maskText(
      'customer jo.smith+vip@mail.example.co.uk called +44 20 7946 0958 and (555) 555-0100 about order 820982911946154508 on 2026-11-28',
    );
    expect(value).toBe(
      'customer [email] called [phone] and [phone] about order 820982911946154508 on 2026-11-28',
    );
    expect(masked).toBe(3);
  });

  it('tells person names from product, event and order names by where they sit', () => {
    expect(piiKindOfKey('name', undefined)).toBeUndefined();
    expect(piiKindOfKey('name', 'line_items')).toBeUndefined();
    expect(piiKindOfKey('name', 'event')).toBeUndefined();
    expect(piiKindOfKey('name', 'customer')).toBe('name');
    expect(piiKindOfKey('shipping_address', 'order')).toBe('address');
    expect(piiKindOfKey('contactEmail', undefined)).toBe('email');
    expect(piiKindOfKey('address_id', 'subscription')).toBeUndefined();
    expect(piiKindOfKey('billingAddressId', undefined)).toBeUndefined();
  });

  it('survives randomized nesting without leaking a planted email', () => {
    for (let i = 0; i < 200; i += 1) {
      let node: unknown = `x${i}@leak.example`;
      const depth = 1 + (i % 7);
      for (let d = 0; d < depth; d += 1) {
        node = d % 2 === 0 ? [node, d] : { [`k${(i * 31 + d) % 5}`]: node, other: d };
      }
      expect(JSON.stringify(maskPii(node).value)).not.toContain('@leak.example');
    }
  });
});
