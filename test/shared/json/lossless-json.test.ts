import { describe, expect, it } from 'vitest';
import { parseJsonLossless, quoteLargeIntegers } from '../../../shared/json/lossless-json.js';

/**
 * The scanner as it was before issue 12 (per-character walk through strings, a regex per number character), kept
 * verbatim as the oracle: the rewrite must give the same output for every input, JSON or not.
 */
const referenceQuoteLargeIntegers = (text: string): string => {
  const isDigit = (code: number): boolean => code >= 48 && code <= 57;
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i += 1;
      while (i < n) {
        const s = text.charCodeAt(i);
        if (s === 92) i += 2;
        else if (s === 34) {
          i += 1;
          break;
        } else i += 1;
      }
      continue;
    }
    if (isDigit(c) || c === 45) {
      const start = i;
      i += 1;
      while (i < n && isDigit(text.charCodeAt(i))) i += 1;
      const next = i < n ? text.charCodeAt(i) : 0;
      const isInteger = next !== 46 && next !== 101 && next !== 69;
      const digits = i - start - (c === 45 ? 1 : 0);
      if (isInteger && digits > 15) {
        out += `${text.slice(last, start)}"${text.slice(start, i)}"`;
        last = i;
      } else {
        while (i < n && /[0-9.eE+-]/.test(text.charAt(i))) i += 1;
      }
      continue;
    }
    i += 1;
  }
  return last === 0 ? text : out + text.slice(last);
};

/** A seeded PRNG (mulberry32): every failure names its seed and reproduces. */
const random = (seed: number) => {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
};
type Random = ReturnType<typeof random>;

const digits = (r: Random, count: number): string =>
  String(1 + r.int(9)) + Array.from({ length: count - 1 }, () => String(r.int(10))).join('');

/** A number literal and the value the lossless parse must give for it. */
const numberLiteral = (r: Random): { text: string; value: unknown } => {
  const sign = r.next() < 0.3 ? '-' : '';
  const kind = r.int(9);
  if (kind === 0) return { text: `${sign}0`, value: sign ? -0 : 0 };
  if (kind <= 2) {
    const text = `${sign}${digits(r, 1 + r.int(15))}`;
    return { text, value: Number(text) };
  }
  if (kind <= 4) {
    const text = `${sign}${digits(r, 16 + r.int(8))}`;
    return { text, value: text };
  }
  if (kind === 5) {
    const text = `${sign}${digits(r, 1 + r.int(20))}.${digits(r, 1 + r.int(6))}`;
    return { text, value: Number(text) };
  }
  const exponent = `${r.pick(['e', 'E'])}${r.pick(['', '+', '-'])}${1 + r.int(30)}`;
  const mantissa = kind === 6 ? digits(r, 16 + r.int(4)) : `${digits(r, 1 + r.int(17))}.${digits(r, 2)}`;
  const text = `${sign}${mantissa}${exponent}`;
  return { text, value: Number(text) };
};

const STRING_PIECES: readonly [string, string][] = [
  ['\\"', '"'],
  ['\\\\', '\\'],
  ['\\\\\\"', '\\"'],
  ['\\/', '/'],
  ['\\n', '\n'],
  ['\\t', '\t'],
  ['\\u00e9', 'é'],
  ['\\u0022', '"'],
  ['\\ud83d\\ude00', '😀'],
  ['é', 'é'],
  ['😀', '😀'],
  ['注文', '注文'],
  ['12345678901234567890', '12345678901234567890'],
  ['-98765432109876543', '-98765432109876543'],
  ['1e21', '1e21'],
  [':', ':'],
  [',', ','],
  ['[', '['],
  ['{\\"id\\": 820982911946154508}', '{"id": 820982911946154508}'],
  ['gid://shopify/Order/820982911946154508', 'gid://shopify/Order/820982911946154508'],
  [' ', ' '],
];

/** A JSON string literal with escapes, unicode, digits and quotes, and the string it stands for. */
const stringLiteral = (r: Random): { text: string; value: string } => {
  let text = '';
  let value = '';
  for (let k = r.int(6); k > 0; k -= 1) {
    const [t, v] = r.pick(STRING_PIECES);
    text += t;
    value += v;
  }
  return { text: `"${text}"`, value };
};

const space = (r: Random): string => r.pick(['', '', '', ' ', '\n  ', '\t', '\r\n']);

/** A random JSON document and the value the lossless parse must give. */
const jsonValue = (r: Random, depth: number): { text: string; value: unknown } => {
  const kind = depth > 4 ? r.int(4) : r.int(6);
  if (kind === 0) return numberLiteral(r);
  if (kind === 1) return stringLiteral(r);
  if (kind === 2) return r.pick([{ text: 'true', value: true } as const, { text: 'null', value: null }]);
  if (kind === 3) return numberLiteral(r);
  if (kind === 4) {
    const items = Array.from({ length: r.int(5) }, () => jsonValue(r, depth + 1));
    return {
      text: `[${space(r)}${items.map((i) => i.text).join(`${space(r)},${space(r)}`)}${space(r)}]`,
      value: items.map((i) => i.value),
    };
  }
  const entries = Array.from({ length: r.int(5) }, (_, k) => {
    const key = stringLiteral(r);
    return {
      key: { text: `"k${k}${key.text.slice(1)}`, value: `k${k}${key.value}` },
      item: jsonValue(r, depth + 1),
    };
  });
  return {
    text: `{${space(r)}${entries.map((e) => `${e.key.text}${space(r)}:${space(r)}${e.item.text}`).join(`,${space(r)}`)}${space(r)}}`,
    value: Object.fromEntries(entries.map((e) => [e.key.value, e.item.value])),
  };
};

/** Arbitrary text over the characters that matter to the scanner: anything, valid JSON or not. */
const garbage = (r: Random, length: number): string => {
  const alphabet = [
    '"',
    '\\',
    '-',
    '+',
    '.',
    'e',
    'E',
    'e+',
    'E-',
    '.5e',
    '1',
    '0',
    ' ',
    ',',
    ':',
    '[',
    '{',
    'a',
    'é',
  ];
  let text = '';
  for (let k = 0; k < length; k += 1) {
    text += r.next() < 0.15 ? digits(r, 1 + r.int(20)) : r.pick(alphabet);
  }
  return text;
};

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

  it('quotes at the edges: a bare long integer, one before the first string and after the last', () => {
    expect(quoteLargeIntegers('1234567890123456')).toBe('"1234567890123456"');
    expect(quoteLargeIntegers('[1234567890123456,"x",-1234567890123456]')).toBe(
      '["1234567890123456","x","-1234567890123456"]',
    );
    expect(parseJsonLossless('[1234567890123456,"x",-1234567890123456]')).toEqual([
      '1234567890123456',
      'x',
      '-1234567890123456',
    ]);
  });

  it('never quotes the digits of a fraction or an exponent, however many', () => {
    const text =
      '[1e+12345678901234567,1.5E-12345678901234567,0.12345678901234567890,-1.0e12345678901234567]';
    expect(quoteLargeIntegers(text)).toBe(text);
    expect(parseJsonLossless(text)).toEqual([
      Number.POSITIVE_INFINITY,
      0,
      Number('0.12345678901234567890'),
      Number.NEGATIVE_INFINITY,
    ]);
  });

  it('reads a string closed after an even run of backslashes, and not after an odd one', () => {
    const even = '{"a":"\\\\\\\\","b":1234567890123456789}';
    const odd = '{"a":"\\\\\\" 1234567890123456789","b":1}';
    expect(parseJsonLossless(even)).toEqual({ a: '\\\\', b: '1234567890123456789' });
    expect(parseJsonLossless(odd)).toEqual({ a: '\\" 1234567890123456789', b: 1 });
  });
});

describe('quoteLargeIntegers, against the implementation it replaced', () => {
  it('gives the same text and the exact values on 3,000 random JSON documents', () => {
    for (let seed = 1; seed <= 3000; seed += 1) {
      const r = random(seed);
      const { text, value } = jsonValue(r, 0);
      const quoted = quoteLargeIntegers(text);
      expect(quoted, `seed ${seed}`).toBe(referenceQuoteLargeIntegers(text));
      expect(JSON.parse(quoted), `seed ${seed}`).toEqual(value);
    }
  });

  it('gives the same text on 3,000 random non-JSON texts (unclosed strings, stray backslashes, signs)', () => {
    for (let seed = 1; seed <= 3000; seed += 1) {
      const r = random(seed * 7919);
      const text = garbage(r, 1 + r.int(120));
      expect(quoteLargeIntegers(text), `seed ${seed}: ${JSON.stringify(text)}`).toBe(
        referenceQuoteLargeIntegers(text),
      );
    }
  });

  it('gives the same result on hostile inputs: deep nesting, 1 MB strings, backslash and digit floods', () => {
    const mb = 1024 * 1024;
    const hostile = [
      `${'['.repeat(100_000)}1234567890123456${']'.repeat(100_000)}`,
      `{"s":"${'x'.repeat(mb)}","id":820982911946154508}`,
      `{"s":"${'\\\\'.repeat(mb / 2)}","id":820982911946154508}`,
      `{"s":"${'\\"'.repeat(mb / 2)}","id":820982911946154508}`,
      `{"s":"${'1'.repeat(mb)}","id":-820982911946154508}`,
      `[${'1'.repeat(mb)}]`,
      `[${Array.from({ length: 50_000 }, (_, k) => `${820982911946154508n + BigInt(k)}`).join(',')}]`,
      `"${'12345678901234567'.repeat(60_000)}`,
      `${'123456789012345a'.repeat(60_000)}`,
      `${'"\\'.repeat(mb / 2)}`,
    ];
    for (const [k, text] of hostile.entries()) {
      expect(quoteLargeIntegers(text) === referenceQuoteLargeIntegers(text), `hostile input ${k}`).toBe(true);
    }
    expect(parseJsonLossless(hostile[0] ?? '')).toBeInstanceOf(Array);
    expect((parseJsonLossless(hostile[1] ?? '') as { id: string }).id).toBe('820982911946154508');
  });
});
