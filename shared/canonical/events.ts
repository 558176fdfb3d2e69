import * as z from 'zod';
import { SourceNameSchema } from '../ingest/envelope.js';
import { CurrencySchema, IdSchema, LineItemSchema, MoneySchema, PersonRefSchema } from './common.js';

/** Default canonical event names; a deployment may rename them at delivery (EVENT_NAME_OVERRIDES). */
export const EVENT_NAMES = [
  'Product Viewed',
  'Collection Viewed',
  'Added to Cart',
  'Removed from Cart',
  'Cart Viewed',
  'Products Searched',
  'Checkout Started',
  'Order Completed',
  'Order Updated',
  'Order Cancelled',
  'Order Refunded',
  'Order Fulfilled',
  'Subscription Started',
  'Subscription Cancelled',
  'Subscription Reactivated',
  'Subscription Skipped',
  'Subscription Charge Failed',
  'Review Submitted',
  'Cart Abandoned',
  'Checkout Abandoned',
] as const;
/** A canonical event name. */
export const EventNameSchema = z.enum(EVENT_NAMES);

/** Fields every canonical event carries. */
const EventBaseSchema = z.object({
  /** Deterministic ULID derived from `dedupe_key`: also the Customer.io event id, so resends are ignored. */
  id: z.string().regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'ULID'),
  /** The business-event key (e.g. one Order Completed per shop + order), whatever source reported it. */
  dedupe_key: z.string().min(1),
  source: SourceNameSchema,
  shop: z.string().min(1),
  /** When it happened at the source (ISO 8601), never the receive time. */
  occurred_at: z.iso.datetime({ offset: true }),
  person: PersonRefSchema,
});

/** Properties shared by order events. */
export const OrderPropertiesSchema = z.object({
  order_id: IdSchema,
  order_number: z.string().nullable(),
  checkout_id: z.string().nullable(),
  cart_id: z.string().nullable(),
  total: MoneySchema,
  subtotal: MoneySchema,
  tax: MoneySchema,
  shipping: MoneySchema,
  discount: MoneySchema,
  currency: CurrencySchema,
  presentment_currency: CurrencySchema.nullable(),
  presentment_total: MoneySchema.nullable(),
  discount_codes: z.array(z.string()),
  coupon: z.string().nullable(),
  products: z.array(LineItemSchema),
  item_count: z.number().int().nonnegative(),
  financial_status: z.string().nullable(),
  is_test: z.boolean(),
});

/** Order Completed: a purchase was placed (Shopify orders/create, orders/paid, Recharge order/created, ...). */
export const OrderCompletedEventSchema = EventBaseSchema.extend({
  name: z.literal('Order Completed'),
  properties: OrderPropertiesSchema,
});

/** Any canonical event, discriminated by name. */
export const CanonicalEventSchema = z.discriminatedUnion('name', [OrderCompletedEventSchema]);
/** A canonical event. */
export type CanonicalEvent = z.infer<typeof CanonicalEventSchema>;
/** A canonical event before its deterministic id is attached. */
export type CanonicalEventDraft = CanonicalEvent extends infer E ? (E extends unknown ? Omit<E, 'id'> : never) : never;
