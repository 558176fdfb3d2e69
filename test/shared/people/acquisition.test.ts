import { describe, expect, it } from 'vitest';
import { acquisitionOf, isEntryPage } from '../../../shared/people/acquisition.js';

describe('acquisitionOf', () => {
  it('takes UTM parameters first, and keeps only them from the landing query', () => {
    expect(
      acquisitionOf(
        'https://shop.example/products/tee?utm_source=newsletter&utm_medium=email&utm_campaign=bfcm&email=a%40b.c#top',
        'https://mail.example.com/inbox?id=42',
      ),
    ).toEqual({
      acquisition_source: 'newsletter',
      acquisition_medium: 'email',
      acquisition_campaign: 'bfcm',
      first_landing_page:
        'https://shop.example/products/tee?utm_source=newsletter&utm_medium=email&utm_campaign=bfcm',
      first_referrer: 'https://mail.example.com/inbox',
    });
  });

  it('marks a missing UTM source or medium "(not set)"', () => {
    expect(acquisitionOf('https://shop.example/?utm_medium=checkout&utm_campaign=sale', null)).toMatchObject({
      acquisition_source: '(not set)',
      acquisition_medium: 'checkout',
      acquisition_campaign: 'sale',
    });
  });

  it('reads paid-search click ids, then the referring host, then direct', () => {
    expect(acquisitionOf('https://shop.example/?gclid=abc', null)).toMatchObject({
      acquisition_source: 'google',
      acquisition_medium: 'cpc',
      first_landing_page: 'https://shop.example/',
    });
    expect(acquisitionOf('https://shop.example/p', 'https://www.google.com/')).toMatchObject({
      acquisition_source: 'google.com',
      acquisition_medium: 'organic',
      first_referrer: 'https://www.google.com/',
    });
    expect(acquisitionOf('https://shop.example/p', 'https://l.instagram.com/x?u=1')).toMatchObject({
      acquisition_source: 'l.instagram.com',
      acquisition_medium: 'social',
    });
    expect(acquisitionOf('https://shop.example/p', 'https://blog.example.org/review')).toMatchObject({
      acquisition_source: 'blog.example.org',
      acquisition_medium: 'referral',
    });
    const direct = acquisitionOf('https://shop.example/p', null);
    expect(direct).toEqual({
      acquisition_source: '(direct)',
      acquisition_medium: '(none)',
      first_landing_page: 'https://shop.example/p',
    });
  });

  it('treats a referrer on the landing host as no referrer', () => {
    expect(acquisitionOf('https://shop.example/p', 'https://www.shop.example/cart')).toEqual({
      acquisition_source: '(direct)',
      acquisition_medium: '(none)',
      first_landing_page: 'https://shop.example/p',
    });
  });

  it("reads Shopify's relative landing_site and names a non-web channel when nothing else does", () => {
    expect(acquisitionOf('/collections/sale?utm_source=tiktok&utm_medium=paid_social&ref=x', '')).toEqual({
      acquisition_source: 'tiktok',
      acquisition_medium: 'paid_social',
      first_landing_page: '/collections/sale?utm_source=tiktok&utm_medium=paid_social',
    });
    expect(acquisitionOf(null, null, 'pos')).toEqual({
      acquisition_source: 'pos',
      acquisition_medium: '(none)',
    });
    expect(acquisitionOf(null, null)).toBeUndefined();
    expect(acquisitionOf('javascript:alert(1)', null)).toBeUndefined();
  });

  it('keeps every value within 1000 bytes', () => {
    const long = 'x'.repeat(1_500);
    const out = acquisitionOf(`https://shop.example/${long}?utm_source=${long}&utm_campaign=${long}`, null);
    for (const value of Object.values(out ?? {})) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(1000);
    expect(out?.acquisition_source).toBe(`${'x'.repeat(997)}…`);
    // A URL longer than any browser sends is cut before it is read.
    const huge = acquisitionOf(`https://shop.example/${'y'.repeat(10_000)}?utm_source=late`, null);
    expect(huge?.acquisition_source).toBe('(direct)');
  });
});

describe('isEntryPage', () => {
  it('is a landing without referrer, from another site, or with campaign parameters', () => {
    expect(isEntryPage('https://shop.example/', null)).toBe(true);
    expect(isEntryPage('https://shop.example/', 'https://google.com/')).toBe(true);
    expect(isEntryPage('https://shop.example/p?utm_source=x', 'https://shop.example/')).toBe(true);
  });

  it('is not navigation inside the shop, nor an unreadable URL', () => {
    expect(isEntryPage('https://shop.example/p', 'https://shop.example/collections/all')).toBe(false);
    expect(isEntryPage('not a url', null)).toBe(false);
  });
});
