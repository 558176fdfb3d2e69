import { describe, expect, it } from 'vitest';
import { parseJsonLossless, quoteLargeIntegers } from '../../../shared/json/lossless-json.js';

describe('parseJsonLossless', () => {
  it('keeps ids beyond 2^53 exact, where JSON.parse rounds them', () => {
    const text = '{"id": 820982911946154508, "line_items": [{"product_id": 788032119674292922}]}';
    expect((JSON.parse(text) as { id: number }).id).toBe(820982911946154500);
    expect(parseJsonLossless(text)).toEqual({
      id: '820982911946154508',
      line_items: [{ product_id: '788032119674292922' }],
    });
  });

  it('leaves small integers, decimals, exponents, negatives and strings alone', () => {
    const text =
      '{"a": 42, "b": -7, "c": 404.95, "d": 1e21, "e": "1234567890123456789", "f": -12345678901234567, "g": 123456789012345.5}';
    expect(parseJsonLossless(text)).toEqual({
      a: 42,
      b: -7,
      c: 404.95,
      d: 1e21,
      e: '1234567890123456789',
      f: '-12345678901234567',
      g: 123456789012345.5,
    });
  });

  it('does not touch digits inside strings, including escaped quotes', () => {
    const text = '{"note": "order \\"12345678901234567890\\" ok", "n": 12345678901234567890}';
    expect(quoteLargeIntegers(text)).toBe(
      '{"note": "order \\"12345678901234567890\\" ok", "n": "12345678901234567890"}',
    );
  });

  it('returns the same text when nothing needs quoting', () => {
    const text = '{"a":[1,2,3],"b":{"c":true}}';
    expect(quoteLargeIntegers(text)).toBe(text);
  });
});
