import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  MoneyStringSchema,
  OptionalMoneySchema,
  ShopifyIdSchema,
  ShopifyOrderSchema,
} from '../../../../shared/sources/shopify/shopify-schemas.js';

/** The definitions the one-check schemas replaced, kept to prove they accept and produce exactly the same. */
const UNION_ID = z.union([z.string().min(1), z.number().int()]).transform(String);
const UNION_MONEY = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string'), z.number().finite()])
  .transform(Number);

const VALUES: readonly unknown[] = [
  '820982911946154508',
  'gid://shopify/Order/1',
  'x',
  '',
  ' ',
  0,
  -7,
  450789469,
  2 ** 53 + 2,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -0,
  '404.95',
  '-1',
  '0.00',
  '12.',
  '.5',
  '1e5',
  ' 1',
  '1 ',
  'abc',
  null,
  undefined,
  true,
  {},
  [],
  12.5,
];

const outcome = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false };
};

describe('Shopify id and money schemas', () => {
  it.each(VALUES.map((v) => [String(v), v]))(
    'accept and convert %s exactly as the unions they replaced',
    (_l, v) => {
      expect(outcome(ShopifyIdSchema, v)).toEqual(outcome(UNION_ID, v));
      expect(outcome(MoneyStringSchema, v)).toEqual(outcome(UNION_MONEY, v));
    },
  );

  it('say what they expected, at the path of the field', () => {
    const result = ShopifyOrderSchema.safeParse({
      id: '',
      currency: 'USD',
      total_price: '1,00',
      line_items: [],
      created_at: '2026-01-01T00:00:00Z',
    });
    expect(result.success).toBe(false);
    const summary = z.prettifyError(result.error as z.ZodError);
    expect(summary).toContain('a Shopify id');
    expect(summary).toContain('→ at id');
    expect(summary).toContain('decimal string');
    expect(summary).toContain('→ at total_price');
  });

  it('still require a required id and default absent optional money to 0', () => {
    expect(
      ShopifyOrderSchema.safeParse({
        currency: 'USD',
        total_price: '1',
        line_items: [],
        created_at: '2026-01-01T00:00:00Z',
      }).success,
    ).toBe(false);
    expect(OptionalMoneySchema.parse(undefined)).toBe(0);
    expect(OptionalMoneySchema.parse(null)).toBe(0);
    expect(OptionalMoneySchema.parse('2.50')).toBe(2.5);
  });
});
