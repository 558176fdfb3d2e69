import type { LineItem, PersonRef } from '../canonical/common.js';
import type { Signal } from '../normalize/normalizer.js';

/** Where a piece of cart activity came from. */
type CartActivityOrigin = 'cart' | 'checkout' | 'pixel';

/** What a checkout states about its money beyond the total, carried onto its abandoned-step events. */
interface CheckoutDetails {
  readonly discount_codes: readonly string[];
  /** Major units, in the checkout's currency. */
  readonly subtotal: number;
  readonly tax: number;
  readonly discount: number;
  /** The currency the shopper saw, when the checkout names it. */
  readonly presentment_currency: string | null;
}

/** "This cart was touched": the cart-recovery stage upserts the cart record from it. */
export interface CartActivitySignal extends Signal {
  readonly type: 'cart_activity';
  readonly origin: CartActivityOrigin;
  readonly shop: string;
  /** The cart key: Shopify's cart token, or `checkout-<token>` for a checkout that has no cart. */
  readonly cart_token: string;
  readonly checkout_token?: string;
  /** Who the cart belongs to, when the source says so (signed sources only; carts never do). */
  readonly person: PersonRef;
  readonly line_items: LineItem[];
  /** Cart total in major units. */
  readonly total: number;
  readonly currency: string | null;
  /** The checkout's abandoned_checkout_url. */
  readonly recovery_url?: string;
  /** Discount codes and amounts (checkout activity only). */
  readonly checkout?: CheckoutDetails;
  /** Source time of the activity (ISO 8601): the cart's updated_at. */
  readonly occurred_at: string;
}

/** "The checkout behind this cart was deleted": its recovery URL no longer works. */
export interface CheckoutDeletedSignal extends Signal {
  readonly type: 'checkout_deleted';
  readonly shop: string;
  readonly cart_token: string;
  readonly observed_at: string;
}

/** "This person is unsubscribed from all messages" (or subscribed again), from a consent source. */
export interface MarketingConsentSignal extends Signal {
  readonly type: 'marketing_consent';
  readonly shop: string;
  readonly person: PersonRef;
  readonly unsubscribed: boolean;
  readonly observed_at: string;
}

/**
 * "This checkout was completed" (Shopify sets completed_at): the shopper bought, even if the orders/create delivery
 * is late or parked, so the cart is converted now.
 */
export interface CheckoutCompletedSignal extends Signal {
  readonly type: 'checkout_completed';
  readonly shop: string;
  /** The cart key (cart token, or `checkout-<token>`). */
  readonly cart_token: string;
  readonly checkout_token: string;
  readonly person: PersonRef;
  readonly observed_at: string;
}

/** Any signal the cart-recovery stage reads. */
export type CartSignal =
  | CartActivitySignal
  | CheckoutDeletedSignal
  | MarketingConsentSignal
  | CheckoutCompletedSignal;

/** The cart key of a checkout: its cart token, or its own token when it has no cart. */
export const checkoutCartKey = (cartToken: string | null | undefined, checkoutToken: string): string =>
  cartToken ? cartToken : `checkout-${checkoutToken}`;

/** Builds a cart activity signal. */
export const cartActivity = (fields: Omit<CartActivitySignal, 'type'>): CartActivitySignal => ({
  type: 'cart_activity',
  ...fields,
});

/** Picks the signals of one type out of a delivery's signals. */
export const signalsOf = <T extends CartSignal['type']>(
  signals: readonly Signal[],
  type: T,
): Extract<CartSignal, { type: T }>[] =>
  signals.filter((s): s is Extract<CartSignal, { type: T }> => s.type === type);
