import { describe, expect, it } from 'vitest';
import { collapseLinks, DeliveryReads } from '../../../shared/identity/delivery-reads.js';
import { identityLink } from '../../../shared/identity/identity-signal.js';
import { MemoryIdentityStore } from '../../../shared/identity/memory-identity-store.js';

const T = '2026-11-28T10:00:00.000Z';
const buyer = { customer_id: '42', email: 'ada@example.com' };

describe('collapseLinks', () => {
  it('makes one statement of the same person at the same time, tokens united', () => {
    const links = collapseLinks([
      identityLink(true, { ...buyer, cart_token: 'cart-1' }, T),
      identityLink(true, { ...buyer, checkout_token: 'co-1' }, T),
      identityLink(true, buyer, T),
    ]);
    expect(links).toEqual([
      identityLink(true, { ...buyer, cart_token: 'cart-1', checkout_token: 'co-1' }, T),
    ]);
  });

  it('keeps apart other people, other times, other trust and tokens that disagree', () => {
    const links = [
      identityLink(true, { ...buyer, cart_token: 'cart-1' }, T),
      identityLink(true, { ...buyer, cart_token: 'cart-2' }, T),
      identityLink(true, { ...buyer, email: 'bob@example.com' }, T),
      identityLink(true, buyer, '2026-11-28T11:00:00.000Z'),
      identityLink(false, { anonymous_id: 'a', cart_token: 'cart-1' }, T),
    ];
    expect(collapseLinks(links)).toEqual(links);
  });
});

describe('DeliveryReads', () => {
  it('reads an identifier once, and again after it was written', async () => {
    const store = new MemoryIdentityStore();
    let reads = 0;
    const read = store.read.bind(store);
    store.read = (...args) => {
      reads += 1;
      return read(...args);
    };
    const delivery = new DeliveryReads(store, 'demo.myshopify.com');
    await Promise.all([delivery.node('email', buyer.email), delivery.node('email', buyer.email)]);
    await delivery.node('email', buyer.email);
    expect(reads).toBe(1);
    await store.bindPerson('demo.myshopify.com', 'email', buyer.email, buyer, T);
    delivery.forget('email', buyer.email);
    expect((await delivery.node('email', buyer.email)).person).toEqual(buyer);
    expect(reads).toBe(2);
  });
});
