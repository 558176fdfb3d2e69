import { describe, expect, it } from 'vitest';
import { lookupsFor, parseSearch } from '../../../shared/inspector/search.js';

const search = (q: string, kind = 'auto') =>
  parseSearch(new URLSearchParams({ q, kind, shop: ' Demo.myshopify.com ' }), 'default.myshopify.com');

describe('search', () => {
  it('guesses what a term is: email, phone, digits (customer or order), anything else (browser, cart, checkout)', () => {
    const guess = (q: string) => {
      const query = search(q);
      if (!query) throw new Error('expected a query');
      return lookupsFor(query);
    };
    expect(guess('Ann@Example.com')).toEqual([{ kind: 'email', value: 'ann@example.com' }]);
    expect(guess('+1 415 555 2671')).toEqual([{ kind: 'phone', value: '+14155552671' }]);
    expect(guess('820982911946154508')).toEqual([
      { kind: 'customer', value: '820982911946154508' },
      { kind: 'order', value: '820982911946154508' },
    ]);
    expect(guess('gid://shopify/Cart/c1?key=k').map((l) => l.kind)).toEqual([
      'anonymous',
      'cart',
      'checkout',
    ]);
    expect(guess('gid://shopify/Cart/c1?key=k')[1]).toEqual({ kind: 'cart', value: 'c1' });
  });

  it('takes the kind the operator picked, lower-cases the shop, and ignores an unknown kind', () => {
    expect(search('abc', 'checkout')).toEqual({ shop: 'demo.myshopify.com', term: 'abc', kind: 'checkout' });
    expect(search('abc', 'drop table')?.kind).toBe('auto');
    expect(parseSearch(new URLSearchParams({ q: '  ' }), 'x')).toBeUndefined();
    expect(lookupsFor({ shop: 's', term: 'not a phone', kind: 'phone' })).toEqual([]);
  });
});
