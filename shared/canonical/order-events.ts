import * as z from 'zod';
import { CurrencySchema, IdSchema, LineItemSchema, MoneySchema } from './common.js';
import { EventBaseSchema } from './event-base.js';

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
