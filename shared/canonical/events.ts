import * as z from 'zod';
import {
  CartAbandonedEventSchema,
  CheckoutAbandonedEventSchema,
  CheckoutStartedEventSchema,
} from './cart-events.js';
import {
  OrderCancelledEventSchema,
  OrderCompletedEventSchema,
  OrderFulfilledEventSchema,
  OrderRefundedEventSchema,
} from './order-events.js';
import { ReviewSubmittedEventSchema } from './review-events.js';
import {
  AddedToCartEventSchema,
  CartViewedEventSchema,
  CollectionViewedEventSchema,
  ProductsSearchedEventSchema,
  ProductViewedEventSchema,
  RemovedFromCartEventSchema,
} from './storefront-events.js';
import {
  SubscriptionCancelledEventSchema,
  SubscriptionChargeFailedEventSchema,
  SubscriptionReactivatedEventSchema,
  SubscriptionSkippedEventSchema,
  SubscriptionStartedEventSchema,
} from './subscription-events.js';

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

/**
 * Any canonical event, discriminated by name. Each domain keeps its schemas in its own file
 * (order-events.ts, ...); add the new schema to this list, one per line.
 */
export const CanonicalEventSchema = z.discriminatedUnion('name', [
  ProductViewedEventSchema,
  CollectionViewedEventSchema,
  AddedToCartEventSchema,
  RemovedFromCartEventSchema,
  CartViewedEventSchema,
  ProductsSearchedEventSchema,
  OrderCompletedEventSchema,
  OrderCancelledEventSchema,
  OrderFulfilledEventSchema,
  OrderRefundedEventSchema,
  CheckoutStartedEventSchema,
  CartAbandonedEventSchema,
  CheckoutAbandonedEventSchema,
  SubscriptionStartedEventSchema,
  SubscriptionReactivatedEventSchema,
  SubscriptionCancelledEventSchema,
  SubscriptionSkippedEventSchema,
  SubscriptionChargeFailedEventSchema,
  ReviewSubmittedEventSchema,
]);
/** A canonical event. */
export type CanonicalEvent = z.infer<typeof CanonicalEventSchema>;
/** A canonical event before its deterministic id is attached. */
export type CanonicalEventDraft = CanonicalEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'id'>
    : never
  : never;
