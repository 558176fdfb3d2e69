import * as z from 'zod';

/** A Shopify id: number or string in the payload (large ones arrive as strings from the lossless parser). */
export const ShopifyIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/** A decimal money string such as "404.95" (numbers accepted too), as a number in major units. */
export const MoneyStringSchema = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string'), z.number().finite()])
  .transform(Number);

/** Money that may be absent. */
export const OptionalMoneySchema = MoneyStringSchema.nullish().transform((v) => v ?? 0);

const MoneySetSchema = z.looseObject({
  shop_money: z.looseObject({ amount: MoneyStringSchema, currency_code: z.string() }),
  presentment_money: z.looseObject({ amount: MoneyStringSchema, currency_code: z.string() }).nullish(),
});

/** A line item as orders, checkouts and carts send it (only the fields the connector reads). */
export const ShopifyLineItemSchema = z.looseObject({
  product_id: ShopifyIdSchema.nullish(),
  variant_id: ShopifyIdSchema.nullish(),
  sku: z.string().nullish(),
  title: z.string().nullish(),
  name: z.string().nullish(),
  variant_title: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  quantity: z.number().int().nonnegative(),
  price: MoneyStringSchema,
  total_discount: MoneyStringSchema.nullish(),
  discount_allocations: z.array(z.looseObject({ amount: MoneyStringSchema })).nullish(),
});
/** A Shopify line item. */
export type ShopifyLineItem = z.infer<typeof ShopifyLineItemSchema>;

/** The customer object embedded in orders and checkouts. */
export const ShopifyEmbeddedCustomerSchema = z.looseObject({
  id: ShopifyIdSchema,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  created_at: z.string().nullish(),
  default_address: z
    .looseObject({ city: z.string().nullish(), country_code: z.string().nullish() })
    .nullish(),
});

/** The Order resource (orders/create, orders/paid, orders/updated, orders/cancelled, orders/fulfilled). */
export const ShopifyOrderSchema = z.looseObject({
  id: ShopifyIdSchema,
  name: z.string().nullish(),
  order_number: z.union([z.number(), z.string()]).nullish(),
  email: z.string().nullish(),
  contact_email: z.string().nullish(),
  phone: z.string().nullish(),
  customer: ShopifyEmbeddedCustomerSchema.nullish(),
  cart_token: z.string().nullish(),
  checkout_token: z.string().nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  presentment_currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
  total_price: MoneyStringSchema,
  subtotal_price: OptionalMoneySchema,
  total_tax: OptionalMoneySchema,
  total_discounts: OptionalMoneySchema,
  total_price_set: MoneySetSchema.nullish(),
  total_shipping_price_set: MoneySetSchema.nullish(),
  discount_codes: z.array(z.looseObject({ code: z.string() })).nullish(),
  line_items: z.array(ShopifyLineItemSchema),
  financial_status: z.string().nullish(),
  test: z.boolean().nullish(),
  buyer_accepts_marketing: z.boolean().nullish(),
  customer_locale: z.string().nullish(),
  created_at: z.string(),
  processed_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  cancel_reason: z.string().nullish(),
  shipping_address: z
    .looseObject({ city: z.string().nullish(), country_code: z.string().nullish() })
    .nullish(),
});
/** A Shopify order payload. */
export type ShopifyOrder = z.infer<typeof ShopifyOrderSchema>;
