import * as z from 'zod';

/** ISO 4217 currency code, upper case. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code');

/** Money in major units (webhooks send decimal strings; the canonical form is a number). */
export const MoneySchema = z.number().finite();

/** Rounds a computed amount to cents, so sums of decimal prices do not carry float noise (0.1 + 0.2). */
export const roundMoney = (value: number): number => Math.round(value * 100) / 100;

/** The marker fields of lists that may be shortened to fit Customer.io's size limit. */
type ListMarkers<K extends string> = {
  [P in `${K}_truncated`]: z.ZodOptional<z.ZodLiteral<true>>;
} & { [P in `${K}_total_count`]: z.ZodOptional<z.ZodNumber> };

/**
 * For each named list property, `<list>_truncated: true` and `<list>_total_count: <n>`, present only when the list
 * was shortened so the event fits Customer.io's 32 KB item limit (see shared/process/fit-event.ts). Every list
 * property of a canonical event declares its markers, so they survive schema parsing.
 */
export const listMarkers = <K extends string>(...lists: K[]): ListMarkers<K> =>
  Object.fromEntries(
    lists.flatMap((list) => [
      [`${list}_truncated`, z.literal(true).optional()],
      [`${list}_total_count`, z.number().int().nonnegative().optional()],
    ]),
  ) as ListMarkers<K>;

/** An identifier as a string (Shopify ids exceed 2^53 and are kept exact). */
export const IdSchema = z.string().min(1);

/** One line-item shape for every event that lists products. */
export const LineItemSchema = z.object({
  product_id: IdSchema.nullable(),
  variant_id: IdSchema.nullable(),
  sku: z.string().nullable(),
  name: z.string(),
  variant_name: z.string().nullable(),
  brand: z.string().nullable(),
  category: z.string().nullable(),
  quantity: z.number().int().nonnegative(),
  /** Unit price in major units, before line discounts. */
  price: MoneySchema,
  /** Total discount on the line in major units. */
  discount: MoneySchema,
  url: z.string().nullable(),
  image_url: z.string().nullable(),
});
/** A product line in a cart, checkout, order or refund. */
export type LineItem = z.infer<typeof LineItemSchema>;

/**
 * Who an event is about, as the source knows it. Resolution to the Customer.io identifier (customer_id or email
 * strategy, anonymous merge) happens later; untrusted sources only ever fill `anonymous_id`.
 */
export const PersonRefSchema = z.object({
  customer_id: IdSchema.optional(),
  email: z.string().optional(),
  /** E.164. */
  phone: z.string().optional(),
  anonymous_id: z.string().optional(),
  recharge_customer_id: IdSchema.optional(),
});
/** A reference to the person behind an event. */
export type PersonRef = z.infer<typeof PersonRefSchema>;
