import * as z from 'zod';
import { CurrencySchema, IdSchema, LineItemSchema, listMarkers, MoneySchema } from './common.js';
import { EventBaseSchema } from './event-base.js';

/** Properties shared by subscription lifecycle events (one subscription = one recurring product line). */
const SubscriptionPropertiesSchema = z.object({
  subscription_id: IdSchema,
  /** Lower-cased source status (`active`, `cancelled`, `expired`). */
  status: z.string().nullable(),
  product_id: IdSchema.nullable(),
  variant_id: IdSchema.nullable(),
  product_name: z.string(),
  variant_name: z.string().nullable(),
  sku: z.string().nullable(),
  quantity: z.number().int().nonnegative(),
  /** Unit price in major units. */
  price: MoneySchema,
  /** Null when the platform does not state it (Recharge 2021-01, or 2021-11 with no presentment currency). */
  currency: CurrencySchema.nullable(),
  products: z.array(LineItemSchema),
  order_interval_frequency: z.number().nonnegative().nullable(),
  order_interval_unit: z.string().nullable(),
  charge_interval_frequency: z.number().nonnegative().nullable(),
  /** Date (YYYY-MM-DD) of the next scheduled charge, null once cancelled. */
  next_charge_scheduled_at: z.string().nullable(),
  ...listMarkers('products'),
});

/** Subscription Started: a subscription was created. */
export const SubscriptionStartedEventSchema = EventBaseSchema.extend({
  name: z.literal('Subscription Started'),
  properties: SubscriptionPropertiesSchema,
});

/** Subscription Reactivated: a cancelled subscription was activated again. */
export const SubscriptionReactivatedEventSchema = EventBaseSchema.extend({
  name: z.literal('Subscription Reactivated'),
  properties: SubscriptionPropertiesSchema,
});

/** Subscription Cancelled: a subscription was cancelled, with the reason the customer or merchant gave. */
export const SubscriptionCancelledEventSchema = EventBaseSchema.extend({
  name: z.literal('Subscription Cancelled'),
  properties: SubscriptionPropertiesSchema.extend({
    cancellation_reason: z.string().nullable(),
    cancellation_reason_comments: z.string().nullable(),
  }),
});

/** Subscription Skipped: an upcoming charge of a subscription was skipped. */
export const SubscriptionSkippedEventSchema = EventBaseSchema.extend({
  name: z.literal('Subscription Skipped'),
  properties: SubscriptionPropertiesSchema,
});

/** Subscription Charge Failed: a recurring charge failed (one event per failed attempt, plus the final give-up). */
export const SubscriptionChargeFailedEventSchema = EventBaseSchema.extend({
  name: z.literal('Subscription Charge Failed'),
  properties: z.object({
    charge_id: IdSchema,
    subscription_ids: z.array(IdSchema),
    status: z.string().nullable(),
    error: z.string().nullable(),
    error_type: z.string().nullable(),
    /** When the platform retries next (ISO 8601 or date), null when no retry is scheduled. */
    retry_date: z.string().nullable(),
    /** True once the platform gave up retrying (Recharge charge/max_retries_reached). */
    max_retries_reached: z.boolean(),
    total: MoneySchema,
    currency: CurrencySchema.nullable(),
    products: z.array(LineItemSchema),
    ...listMarkers('subscription_ids', 'products'),
  }),
});
