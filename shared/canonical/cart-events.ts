import * as z from 'zod';
import { CurrencySchema, IdSchema, LineItemSchema, listMarkers, MoneySchema } from './common.js';
import { EventBaseSchema } from './event-base.js';

/** Checkout Started: a shopper reached checkout (Shopify checkouts/create). */
export const CheckoutStartedEventSchema = EventBaseSchema.extend({
  name: z.literal('Checkout Started'),
  properties: z.object({
    checkout_id: IdSchema,
    cart_id: z.string().nullable(),
    total: MoneySchema,
    subtotal: MoneySchema,
    tax: MoneySchema,
    discount: MoneySchema,
    currency: CurrencySchema,
    discount_codes: z.array(z.string()),
    products: z.array(LineItemSchema),
    item_count: z.number().int().nonnegative(),
    recovery_url: z.string().nullable(),
    ...listMarkers('products', 'discount_codes'),
  }),
});

/** What a cart-recovery step reports about the cart it found quiet. */
const AbandonedPropertiesSchema = z.object({
  /** 1-based recovery step (the first check, the second...). */
  step: z.number().int().positive(),
  cart_id: IdSchema,
  checkout_id: z.string().nullable(),
  products: z.array(LineItemSchema),
  item_count: z.number().int().nonnegative(),
  total: MoneySchema,
  currency: CurrencySchema.nullable(),
  /** The codes the shopper applied at checkout (kept after later cart edits: Shopify applies them again). */
  discount_codes: z.array(z.string()),
  /** The checkout's amounts while they still describe the lines; null without a checkout or after a cart edit. */
  subtotal: MoneySchema.nullable(),
  tax: MoneySchema.nullable(),
  discount: MoneySchema.nullable(),
  /** The currency the shopper saw at checkout, when Shopify names it. */
  presentment_currency: CurrencySchema.nullable(),
  /** The checkout's recovery link, or a cart permalink rebuilding the cart when there is no checkout. */
  recovery_url: z.string().nullable(),
  last_activity_at: z.iso.datetime({ offset: true }),
  minutes_since_activity: z.number().int().nonnegative(),
  ...listMarkers('products', 'discount_codes'),
});

/** Cart Abandoned: a cart with no checkout went quiet for a recovery step's delay. */
export const CartAbandonedEventSchema = EventBaseSchema.extend({
  name: z.literal('Cart Abandoned'),
  properties: AbandonedPropertiesSchema,
});

/** Checkout Abandoned: a started checkout went quiet for a recovery step's delay. */
export const CheckoutAbandonedEventSchema = EventBaseSchema.extend({
  name: z.literal('Checkout Abandoned'),
  properties: AbandonedPropertiesSchema,
});
