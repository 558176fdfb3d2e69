import { describe, expect, it } from 'vitest';
import { isoString, isoStringOf } from '../../../shared/time/iso-time.js';

/** A seeded PRNG (mulberry32), so a failure names its input. */
const random = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

describe('isoString', () => {
  it('formats 100,000 random times across years 0000-9999 exactly as Date#toISOString', () => {
    const next = random(12);
    const first = Date.UTC(2000, 0, 1) - 2000 * 365.2425 * 86_400_000;
    const span = 10_000 * 365.2425 * 86_400_000;
    for (let i = 0; i < 100_000; i += 1) {
      const ms = Math.floor(first + next() * span);
      expect(isoString(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('agrees on the edges: epoch, leap days, centuries, year boundaries, the ends of the fast range', () => {
    const times = [
      0,
      -1,
      1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(1900, 1, 28, 12),
      Date.UTC(2100, 2, 1),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(2025, 0, 1),
      -62_167_219_200_000,
      -62_167_219_200_001,
      253_402_300_799_999,
      253_402_300_800_000,
      8.64e15,
      -8.64e15,
      1.5,
      -1.5,
      -0,
    ];
    for (const ms of times) expect(isoString(ms), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws RangeError for a time that is not a number, as Date#toISOString does', () => {
    expect(() => isoString(Number.NaN)).toThrow(RangeError);
    expect(() => isoString(8.64e15 + 1)).toThrow(RangeError);
  });
});

describe('isoStringOf', () => {
  it('reads what Date reads, offsets and fractions included, and gives the same UTC string', () => {
    for (const text of [
      '2021-12-31T19:00:00-05:00',
      '2025-07-10T16:15:47.000000Z',
      '2025-07-10T16:15:47.123456+05:30',
      '2026-11-28',
      '2026-11-28T10:00:00Z',
      'Sat, 28 Nov 2026 10:00:00 GMT',
      '0099-01-01T00:00:00Z',
    ]) {
      expect(isoStringOf(text), text).toBe(new Date(text).toISOString());
    }
  });

  it('throws RangeError for text Date cannot read', () => {
    expect(() => isoStringOf('yesterday')).toThrow(RangeError);
    expect(() => new Date('yesterday').toISOString()).toThrow(RangeError);
  });
});
