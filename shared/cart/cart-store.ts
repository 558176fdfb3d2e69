import type { LineItem, PersonRef } from '../canonical/common.js';
import { hashedEmail } from '../people/identity-hash.js';
import type { CartActivitySignal } from './cart-signal.js';

/** A cart's place in the store: one record per shop and cart key. */
export interface CartKey {
  readonly shop: string;
  readonly cart_token: string;
}

/** The check the cart is waiting for; step 0 means none. `created` once the Scheduler accepted it. */
export interface PendingCheck {
  readonly step: number;
  /** ISO 8601, whole seconds. */
  readonly due_at: string;
  readonly created: boolean;
}

/** Everything recovery knows about one cart. */
export interface CartRecord extends CartKey {
  readonly checkout_token?: string;
  readonly person: PersonRef;
  /** The cart's lines, the first ones only when the cart was too big to store whole (see `line_count`). */
  readonly line_items: LineItem[];
  /** Lines in the cart, when more than `line_items` holds (a cart too big for one DynamoDB item). */
  readonly line_count?: number;
  /** Units in the cart, counted over every line (stored beside the lines, so it survives their shortening). */
  readonly item_count?: number;
  readonly total: number;
  readonly currency: string | null;
  /**
   * The checkout's discount codes (the first ones only when there were too many to store, see
   * `discount_code_count`); empty when no checkout named any. Kept while newer cart activity changes the lines:
   * Shopify applies them again when the shopper returns to the checkout.
   */
  readonly discount_codes: readonly string[];
  readonly discount_code_count?: number;
  /** The checkout's subtotal, tax and discount, while they still describe the lines (a newer cart edit drops them). */
  readonly amounts?: { readonly subtotal: number; readonly tax: number; readonly discount: number };
  readonly presentment_currency: string | null;
  readonly recovery_url?: string;
  readonly checkout_deleted: boolean;
  /** ISO 8601; undefined for a record an order created before any activity arrived. */
  readonly last_activity_at?: string;
  readonly converted_at?: string;
  readonly converted_order_id?: string;
  readonly pending: PendingCheck;
  readonly emitted_steps: readonly number[];
  readonly exit_reason?: string;
}

/** Result of recording a step as emitted: `converted` carts never get a step. */
export type MarkEmittedResult = 'marked' | 'converted';

/** What recovery knows about a person across carts (keyed by customer id and by email). */
export interface PersonRecoveryState {
  /** Latest order time (ISO 8601) seen for any of the person's identifiers. */
  readonly last_order_at?: string;
  readonly unsubscribed: boolean;
}

/**
 * Port: cart records and per-person recovery facts. Every write is a single-item conditional write, so stage
 * re-runs, duplicate deliveries and concurrent checks are harmless.
 */
export interface CartStore {
  /**
   * Upserts a cart from activity: newer activity replaces its contents, older activity only fills in identity
   * (person, checkout token, recovery URL). The very first write also records `firstCheck` as pending.
   */
  recordActivity(
    activity: CartActivitySignal,
    firstCheck: { step: number; due_at: string },
  ): Promise<CartRecord>;
  getCart(key: CartKey): Promise<CartRecord | undefined>;
  /** Cart keys of the carts that went through a checkout (via the checkout-token index). */
  findByCheckout(shop: string, checkoutToken: string): Promise<string[]>;
  /**
   * Marks a cart converted (creating a stub when the order came first) and clears its pending check in the same
   * write; `changed` is false if it already was converted. `cancel` is the check that was pending until then (its
   * schedule is now useless: a check that still fires finds the cart converted).
   */
  markConverted(
    key: CartKey,
    orderId: string,
    at: string,
  ): Promise<{ readonly record: CartRecord; readonly changed: boolean; readonly cancel?: PendingCheck }>;
  /** Records that `pending` now exists at the Scheduler, if the cart still expects `expected`. */
  setPending(key: CartKey, expected: PendingCheck, next: PendingCheck): Promise<boolean>;
  /** Ends the cart's checks with a reason (no pending check afterwards). */
  finish(key: CartKey, reason: string): Promise<void>;
  /**
   * Re-opens a cart that exited for a reason newer activity can undo (unreachable, empty, ordered elsewhere) when
   * that activity is newer than the one the exit saw: the first check is pending again, not yet scheduled. A cart
   * that exited `unreachable` is also re-opened by activity that names its person (`identifies`), however old: a
   * checkout delivered late says who the cart belongs to, which is all that exit lacked.
   * Undefined when the cart cannot be re-opened (converted, or the activity is neither newer nor identifying).
   */
  rearm(
    key: CartKey,
    firstCheck: { step: number; due_at: string },
    activityAt: string,
    options?: { readonly identifies?: boolean },
  ): Promise<CartRecord | undefined>;
  /**
   * Records a step as emitted (idempotent: a retry of the step marks it again), never after conversion. The step's
   * event is sent exactly once by the cart check's claim on the event's key, not by this mark.
   */
  markEmitted(key: CartKey, step: number, at: string): Promise<MarkEmittedResult>;
  markCheckoutDeleted(key: CartKey, at: string): Promise<void>;
  /**
   * Privacy redact: removes the cart's contact data (customer id, email, phone, recovery URL) and ends its checks
   * for good (`redacted`). False when there is no such cart.
   */
  forgetContact(key: CartKey): Promise<boolean>;
  /** Raises a person's last order time (never lowers it). */
  recordOrder(shop: string, person: PersonRef, at: string): Promise<void>;
  /** Records a consent statement, newest statement wins. */
  recordConsent(shop: string, person: PersonRef, unsubscribed: boolean, at: string): Promise<void>;
  readPerson(shop: string, person: PersonRef): Promise<PersonRecoveryState>;
}

/** The keys a person's recovery facts are stored under: one per known identifier. */
export const personKeys = (person: PersonRef): string[] => [
  ...(person.customer_id ? [`customer:${person.customer_id}`] : []),
  ...(person.email ? [`email:${hashedEmail(person.email)}`] : []),
];
