import * as z from 'zod';

/** A Recharge or Shopify id: number or string in the payload (large ones arrive as strings from the lossless parser). */
const RechargeIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);

/** A decimal money value: 2021-11 sends strings ("49.00"), 2021-01 captures also send numbers (0.5). */
const RechargeMoneySchema = z
  .union([z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string'), z.number().finite()])
  .transform(Number)
  // Hundreds of digits read as Infinity: refused here, at the payload's own field (`unsupported_value`).
  .pipe(z.number());

/** Money that may be absent or null. */
const OptionalMoneySchema = RechargeMoneySchema.nullish().transform((v) => v ?? 0);

/** A count or frequency: a number, or a numeric string in 2021-01 captures ("1"). */
const CountSchema = z
  .union([z.number().finite(), z.string().regex(/^\d+(\.\d+)?$/, 'numeric string')])
  .transform(Number)
  .pipe(z.number());

/** 2021-11 wraps platform ids: `{ ecommerce: "123" }` (null until the platform object exists). */
const ExternalIdSchema = z.looseObject({ ecommerce: RechargeIdSchema.nullish() });

/** A `{name, value}` attribute. */
const PropertySchema = z.looseObject({ name: z.string(), value: z.unknown() });

/** The Subscription resource, 2021-01 (`shopify_*`) and 2021-11 (`external_*.ecommerce`) fields both optional. */
const RechargeSubscriptionSchema = z.looseObject({
  id: RechargeIdSchema,
  customer_id: RechargeIdSchema,
  address_id: RechargeIdSchema.nullish(),
  email: z.string().nullish(),
  shopify_customer_id: RechargeIdSchema.nullish(),
  external_customer_id: ExternalIdSchema.nullish(),
  status: z.string(),
  product_title: z.string().nullish(),
  variant_title: z.string().nullish(),
  sku: z.string().nullish(),
  price: RechargeMoneySchema,
  quantity: z.number().int().nonnegative(),
  presentment_currency: z.string().nullish(),
  shopify_product_id: RechargeIdSchema.nullish(),
  shopify_variant_id: RechargeIdSchema.nullish(),
  external_product_id: ExternalIdSchema.nullish(),
  external_variant_id: ExternalIdSchema.nullish(),
  order_interval_frequency: CountSchema.nullish(),
  order_interval_unit: z.string().nullish(),
  charge_interval_frequency: CountSchema.nullish(),
  next_charge_scheduled_at: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  cancellation_reason: z.string().nullish(),
  cancellation_reason_comments: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  properties: z.array(PropertySchema).nullish(),
});
/** A Recharge subscription. */
export type RechargeSubscription = z.infer<typeof RechargeSubscriptionSchema>;

/** A line of a charge or order: 2021-11 `purchase_item_id` + `unit_price`, 2021-01 `subscription_id` + `price`. */
const RechargeLineItemSchema = z.looseObject({
  purchase_item_id: RechargeIdSchema.nullish(),
  subscription_id: RechargeIdSchema.nullish(),
  shopify_product_id: RechargeIdSchema.nullish(),
  shopify_variant_id: RechargeIdSchema.nullish(),
  external_product_id: ExternalIdSchema.nullish(),
  external_variant_id: ExternalIdSchema.nullish(),
  title: z.string().nullish(),
  variant_title: z.string().nullish(),
  sku: z.string().nullish(),
  vendor: z.string().nullish(),
  quantity: z.number().int().nonnegative(),
  unit_price: RechargeMoneySchema.nullish(),
  price: RechargeMoneySchema.nullish(),
  images: z.looseObject({ original: z.string().nullish(), large: z.string().nullish() }).nullish(),
});
/** A Recharge line item. */
export type RechargeLineItem = z.infer<typeof RechargeLineItemSchema>;

/** The customer object embedded in 2021-11 charges and orders. */
const EmbeddedCustomerSchema = z.looseObject({
  id: RechargeIdSchema,
  email: z.string().nullish(),
  external_customer_id: ExternalIdSchema.nullish(),
});

/** Fields charges and orders share, in both API versions. */
const BillingDocumentShape = {
  id: RechargeIdSchema,
  status: z.string(),
  customer: EmbeddedCustomerSchema.nullish(),
  customer_id: RechargeIdSchema.nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  shopify_customer_id: RechargeIdSchema.nullish(),
  shopify_order_id: RechargeIdSchema.nullish(),
  external_order_id: ExternalIdSchema.nullish(),
  external_order_name: z.looseObject({ ecommerce: z.string().nullish() }).nullish(),
  /** ISO 4217; absent from 2021-01 payloads. */
  currency: z.string().nullish(),
  total_price: RechargeMoneySchema,
  subtotal_price: OptionalMoneySchema,
  total_tax: OptionalMoneySchema,
  total_discounts: OptionalMoneySchema,
  shipping_lines: z
    .array(
      z.looseObject({ price: OptionalMoneySchema, title: z.string().nullish(), code: z.string().nullish() }),
    )
    .nullish(),
  discount_codes: z.array(z.looseObject({ code: z.string() })).nullish(),
  discounts: z.array(z.looseObject({ code: z.string().nullish() })).nullish(),
  line_items: z.array(RechargeLineItemSchema),
  type: z.string().nullish(),
  created_at: z.string(),
  processed_at: z.string().nullish(),
  updated_at: z.string().nullish(),
};

/** The Charge resource (charge/paid, charge/failed, charge/max_retries_reached). */
const RechargeChargeSchema = z.looseObject({
  ...BillingDocumentShape,
  error: z.string().nullish(),
  error_type: z.string().nullish(),
  retry_date: z.string().nullish(),
  scheduled_at: z.string().nullish(),
});
/** A Recharge charge. */
export type RechargeCharge = z.infer<typeof RechargeChargeSchema>;

/** The Order resource (order/created). */
const RechargeOrderSchema = z.looseObject({
  ...BillingDocumentShape,
  shopify_order_number: z.union([z.string(), z.number()]).nullish(),
  charge: z.looseObject({ id: RechargeIdSchema.nullish() }).nullish(),
  charge_id: RechargeIdSchema.nullish(),
});
/** A Recharge order. */
export type RechargeOrder = z.infer<typeof RechargeOrderSchema>;

/** The Customer resource (customer/created, customer/updated). */
const RechargeCustomerSchema = z.looseObject({
  id: RechargeIdSchema,
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  shopify_customer_id: RechargeIdSchema.nullish(),
  external_customer_id: ExternalIdSchema.nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
});

/** `{subscription: {...}}` webhook body. */
export const SubscriptionPayloadSchema = z.looseObject({ subscription: RechargeSubscriptionSchema });
/** `{charge: {...}}` webhook body. */
export const ChargePayloadSchema = z.looseObject({ charge: RechargeChargeSchema });
/** `{order: {...}}` webhook body. */
export const OrderPayloadSchema = z.looseObject({ order: RechargeOrderSchema });
/** `{customer: {...}}` webhook body. */
export const CustomerPayloadSchema = z.looseObject({ customer: RechargeCustomerSchema });
