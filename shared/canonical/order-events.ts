import * as z from 'zod';
import { CurrencySchema, IdSchema, LineItemSchema, listMarkers, MoneySchema } from './common.js';
import { EventBaseSchema } from './event-base.js';

/** Properties shared by order events. */
const OrderPropertiesSchema = z.object({
  order_id: IdSchema,
  order_number: z.string().nullable(),
  checkout_id: z.string().nullable(),
  cart_id: z.string().nullable(),
  total: MoneySchema,
  subtotal: MoneySchema,
  tax: MoneySchema,
  shipping: MoneySchema,
  /** Titles of the order's shipping lines ("Standard", "Express, Local delivery"); null when it has none. */
  shipping_method: z.string().nullable(),
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
  ...listMarkers('products', 'discount_codes'),
});

/** Order Completed: a purchase was placed (Shopify orders/create, orders/paid, Recharge order/created, ...). */
export const OrderCompletedEventSchema = EventBaseSchema.extend({
  name: z.literal('Order Completed'),
  properties: OrderPropertiesSchema,
});

/** Order Cancelled: the merchant or the buyer cancelled an order (Shopify orders/cancelled). */
export const OrderCancelledEventSchema = EventBaseSchema.extend({
  name: z.literal('Order Cancelled'),
  properties: OrderPropertiesSchema.extend({
    /** Shopify's reason: customer, fraud, inventory, declined, staff or other. */
    cancel_reason: z.string().nullable(),
    cancelled_at: z.iso.datetime({ offset: true }).nullable(),
  }),
});

/** One shipment of a fulfilled order. */
const ShipmentSchema = z.object({
  fulfillment_id: IdSchema,
  status: z.string().nullable(),
  tracking_company: z.string().nullable(),
  tracking_numbers: z.array(z.string()),
  tracking_urls: z.array(z.string()),
});

/** Order Fulfilled: every item of an order has shipped (Shopify orders/fulfilled). */
export const OrderFulfilledEventSchema = EventBaseSchema.extend({
  name: z.literal('Order Fulfilled'),
  properties: OrderPropertiesSchema.extend({
    fulfillment_status: z.string().nullable(),
    /** Every tracking number across the order's shipments (empty when the carrier gave none). */
    tracking_numbers: z.array(z.string()),
    tracking_urls: z.array(z.string()),
    shipments: z.array(ShipmentSchema),
    ...listMarkers('tracking_numbers', 'tracking_urls', 'shipments'),
  }),
});

/** Order Refunded: money or items were returned to the buyer (Shopify refunds/create). */
export const OrderRefundedEventSchema = EventBaseSchema.extend({
  name: z.literal('Order Refunded'),
  properties: z.object({
    refund_id: IdSchema,
    order_id: IdSchema,
    /** Money refunded by this refund (sum of its successful refund transactions), in major units. */
    total: MoneySchema,
    /** Currency of `total`; null only when the payload names none at all. */
    currency: CurrencySchema.nullable(),
    presentment_currency: CurrencySchema.nullable(),
    /** Refunded lines, `quantity` being the refunded quantity. */
    products: z.array(LineItemSchema),
    item_count: z.number().int().nonnegative(),
    note: z.string().nullable(),
    restock: z.boolean(),
    ...listMarkers('products'),
  }),
});
