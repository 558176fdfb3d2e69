import * as z from 'zod';

/**
 * A Shopify id: number or string in the payload (large ones arrive as strings from the lossless parser). One check
 * instead of a union of two schemas piped into String: ids are the most parsed field (several per line item).
 */
export const ShopifyIdSchema = z.unknown().transform((value, ctx) => {
  if (typeof value === 'string' ? value.length > 0 : Number.isSafeInteger(value)) return String(value);
  // Hundreds of digits read as Infinity: said so, so the record parks as `unsupported_value`, as an amount does.
  const message =
    typeof value === 'number' && !Number.isFinite(value) && !Number.isNaN(value)
      ? `expected a finite id, received ${value}`
      : 'a Shopify id (non-empty string or integer)';
  ctx.issues.push({ code: 'custom', message, input: value });
  return z.NEVER;
});

/** A Shopify timestamp (ISO 8601 with offset); anything Date cannot read is a schema failure, not a crash. */
const ShopifyTimeSchema = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'ISO 8601 timestamp');

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A decimal money string such as "404.95" (numbers accepted too), as a number in major units. One check instead of
 * a union piped into Number, for the same reason as ids.
 */
export const MoneyStringSchema = z.unknown().transform((value, ctx) => {
  if (typeof value === 'string' ? DECIMAL.test(value) : typeof value === 'number') {
    const amount = Number(value);
    if (Number.isFinite(amount)) return amount;
    // Hundreds of digits read as Infinity: refused here, at the payload's own field (`unsupported_value`).
    ctx.issues.push({
      code: 'custom',
      message: `expected a finite amount, received ${amount}`,
      input: value,
    });
    return z.NEVER;
  }
  ctx.issues.push({ code: 'custom', message: 'decimal string or finite number', input: value });
  return z.NEVER;
});

/** Money that may be absent. */
export const OptionalMoneySchema = MoneyStringSchema.nullish().transform((v) => v ?? 0);

/** A `*_set` money pair: shop currency and the buyer's presentment currency. */
const MoneySetSchema = z.object({
  shop_money: z.object({ amount: MoneyStringSchema, currency_code: z.string() }),
  presentment_money: z.object({ amount: MoneyStringSchema, currency_code: z.string() }).nullish(),
});

/** A line item as orders, checkouts and carts send it (only the fields the connector reads). */
export const ShopifyLineItemSchema = z.object({
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
  discount_allocations: z.array(z.object({ amount: MoneyStringSchema })).nullish(),
});
/** A Shopify line item. */
export type ShopifyLineItem = z.infer<typeof ShopifyLineItemSchema>;

/** The customer object embedded in orders and checkouts. */
export const ShopifyEmbeddedCustomerSchema = z.object({
  id: ShopifyIdSchema,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  phone: z.string().nullish(),
  created_at: ShopifyTimeSchema.nullish(),
  default_address: z.object({ city: z.string().nullish(), country_code: z.string().nullish() }).nullish(),
});

/** A fulfillment (shipment) embedded in an order. */
const ShopifyFulfillmentSchema = z.object({
  id: ShopifyIdSchema,
  status: z.string().nullish(),
  tracking_company: z.string().nullish(),
  tracking_number: z.string().nullish(),
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: z.string().nullish(),
  tracking_urls: z.array(z.string()).nullish(),
  created_at: ShopifyTimeSchema.nullish(),
  updated_at: ShopifyTimeSchema.nullish(),
});

/** The Order resource (orders/create, orders/paid, orders/updated, orders/cancelled, orders/fulfilled). */
export const ShopifyOrderSchema = z.object({
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
  shipping_lines: z
    .array(
      z.object({
        title: z.string().nullish(),
        code: z.string().nullish(),
        is_removed: z.boolean().nullish(),
      }),
    )
    .nullish(),
  discount_codes: z.array(z.object({ code: z.string() })).nullish(),
  line_items: z.array(ShopifyLineItemSchema),
  financial_status: z.string().nullish(),
  test: z.boolean().nullish(),
  /** Where the buyer's session landed (`/path?query` or a URL), its referrer, and the sales channel. */
  landing_site: z.string().nullish(),
  referring_site: z.string().nullish(),
  source_name: z.string().nullish(),
  buyer_accepts_marketing: z.boolean().nullish(),
  customer_locale: z.string().nullish(),
  created_at: ShopifyTimeSchema,
  processed_at: ShopifyTimeSchema.nullish(),
  updated_at: ShopifyTimeSchema.nullish(),
  cancelled_at: ShopifyTimeSchema.nullish(),
  cancel_reason: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  fulfillments: z.array(ShopifyFulfillmentSchema).nullish(),
  shipping_address: z.object({ city: z.string().nullish(), country_code: z.string().nullish() }).nullish(),
});
/** A Shopify order payload. */
export type ShopifyOrder = z.infer<typeof ShopifyOrderSchema>;

/** A refund transaction (only `kind: refund` with a successful status moves money back). */
const ShopifyTransactionSchema = z.object({
  id: ShopifyIdSchema,
  kind: z.string(),
  status: z.string().nullish(),
  amount: MoneyStringSchema,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
});

/** The Refund resource (refunds/create). */
export const ShopifyRefundSchema = z.object({
  id: ShopifyIdSchema,
  order_id: ShopifyIdSchema,
  created_at: ShopifyTimeSchema,
  processed_at: ShopifyTimeSchema.nullish(),
  note: z.string().nullish(),
  restock: z.boolean().nullish(),
  refund_line_items: z.array(
    z.object({
      id: ShopifyIdSchema,
      line_item_id: ShopifyIdSchema.nullish(),
      quantity: z.number().int().nonnegative(),
      subtotal_set: MoneySetSchema.nullish(),
      line_item: ShopifyLineItemSchema,
    }),
  ),
  transactions: z.array(ShopifyTransactionSchema),
  total_duties_set: MoneySetSchema.nullish(),
});
/** A Shopify refund payload. */
export type ShopifyRefund = z.infer<typeof ShopifyRefundSchema>;

/** A marketing consent object (email or SMS); states arrive lower case in webhooks. */
export const ShopifyConsentSchema = z.object({
  state: z.string().nullish(),
  opt_in_level: z.string().nullish(),
  consent_updated_at: ShopifyTimeSchema.nullish(),
});
/** A consent object. */
export type ShopifyConsent = z.infer<typeof ShopifyConsentSchema>;

/** The Customer resource (customers/create, customers/update); consent objects only before API 2025-01. */
export const ShopifyCustomerSchema = z.object({
  id: ShopifyIdSchema,
  email: z.string().nullish(),
  phone: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  locale: z.string().nullish(),
  created_at: ShopifyTimeSchema.nullish(),
  updated_at: ShopifyTimeSchema.nullish(),
  default_address: z.object({ city: z.string().nullish(), country_code: z.string().nullish() }).nullish(),
  email_marketing_consent: ShopifyConsentSchema.nullish(),
  sms_marketing_consent: ShopifyConsentSchema.nullish(),
});

/** A Shopify customer payload. */
export type ShopifyCustomer = z.infer<typeof ShopifyCustomerSchema>;

/** customers_email_marketing_consent/update. */
export const ShopifyEmailConsentUpdateSchema = z.object({
  customer_id: ShopifyIdSchema,
  email_address: z.string().nullish(),
  email_marketing_consent: ShopifyConsentSchema,
});

/** customers_marketing_consent/update (SMS). */
export const ShopifySmsConsentUpdateSchema = z.object({
  id: ShopifyIdSchema,
  phone: z.string().nullish(),
  sms_marketing_consent: ShopifyConsentSchema,
});

/** The customer named by customers/data_request and customers/redact. */
const ComplianceCustomerSchema = z.object({
  id: ShopifyIdSchema.nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
});

/** customers/data_request (mandatory compliance topic). */
export const ShopifyDataRequestSchema = z.object({
  shop_id: ShopifyIdSchema,
  shop_domain: z.string().min(1),
  customer: ComplianceCustomerSchema,
  orders_requested: z.array(ShopifyIdSchema).nullish(),
  data_request: z.object({ id: ShopifyIdSchema }).nullish(),
});

/** customers/redact (mandatory compliance topic). */
export const ShopifyCustomerRedactSchema = z.object({
  shop_id: ShopifyIdSchema,
  shop_domain: z.string().min(1),
  customer: ComplianceCustomerSchema,
  orders_to_redact: z.array(ShopifyIdSchema).nullish(),
});

/** shop/redact (mandatory compliance topic). */
export const ShopifyShopRedactSchema = z.object({
  shop_id: ShopifyIdSchema,
  shop_domain: z.string().min(1),
});
