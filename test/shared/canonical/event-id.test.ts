import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventIdFor } from '../../../shared/canonical/event-id.js';

describe('eventIdFor', () => {
  it('is a valid ULID that depends only on the dedupe key', () => {
    const id = eventIdFor('order-completed#shop.myshopify.com#820982911946154508');
    expect(id).toMatch(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
    expect(eventIdFor('order-completed#shop.myshopify.com#820982911946154508')).toBe(id);
    expect(eventIdFor('order-completed#shop.myshopify.com#820982911946154509')).not.toBe(id);
  });

  it('spreads keys: 10,000 keys give 10,000 distinct ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, (_, i) => eventIdFor(`k#${i}`)));
    expect(ids.size).toBe(10_000);
  });
});

/** The first implementation (SHA-256 → BigInt → base32), kept as the oracle: ids must never change across versions. */
const referenceEventId = (dedupeKey: string): string => {
  const bytes = createHash('sha256').update(dedupeKey).digest().subarray(0, 16);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 26; i += 1) {
    out = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.charAt(Number(value & 31n)) + out;
    value >>= 5n;
  }
  return out;
};

describe('eventIdFor stability', () => {
  it('keeps the ids already delivered to Customer.io (it dedupes resends by them)', () => {
    expect(eventIdFor('order-completed#shop.myshopify.com#820982911946154508')).toBe(
      '3NP011XDBHPCH38JTNB67C4YAC',
    );
    expect(eventIdFor('')).toBe('73P324567W3GA9NYZMS2CPZE94');
    expect(eventIdFor('identify#é😀')).toBe('4RF79SGXTQS5558ANPWY29NY03');
  });

  it('gives the same id as the first implementation for 5,000 keys', () => {
    for (let i = 0; i < 5_000; i += 1) {
      const key = `order-completed#shop-${i % 7}.myshopify.com#${(820982911946154508n + BigInt(i * 7919)).toString()}#${'é'.repeat(i % 3)}`;
      expect(eventIdFor(key), key).toBe(referenceEventId(key));
    }
  });
});
