import { eventIdFor } from '../canonical/event-id.js';
import { type CanonicalEvent, type CanonicalEventDraft, CanonicalEventSchema } from '../canonical/events.js';
import type { DedupeStore } from '../dedupe/dedupe-store.js';
import { giveBack } from '../dedupe/give-back.js';
import { encodeOutboxMessage } from '../delivery/encode-outbox.js';
import { ClaimInProgressError } from '../errors.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { Telemetry } from '../ports/telemetry.js';
import { type EventMessage, fitEventMessage } from '../process/fit-event.js';
import { type CartRecoveryConfig, stepDueAt, stepQuietAt } from './cart-recovery-config.js';
import type { CartKey, CartRecord, CartStore } from './cart-store.js';
import type { CartCheckInput, RecoveryScheduler } from './recovery-scheduler.js';

/** What the cart check needs. */
export interface CartCheckDeps {
  readonly store: CartStore;
  /** Exactly-once hand-off of each step's event (claim → send → complete), like the process worker's events. */
  readonly dedupe: DedupeStore;
  readonly scheduler: RecoveryScheduler;
  readonly outbox: MessageQueue;
  readonly config: CartRecoveryConfig;
  readonly identity: IdentityConfig;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/** Why a check ended the cart's recovery (or, for the first four, did nothing). */
type CartExitReason =
  | 'missing'
  | 'converted'
  | 'already_emitted'
  | 'stale'
  | 'empty'
  | 'unreachable'
  | 'ordered_elsewhere'
  | 'unsubscribed';

/** What one check did. */
export type CartCheckOutcome =
  | { readonly kind: 'exited'; readonly reason: CartExitReason }
  | { readonly kind: 'rescheduled'; readonly due_at: string }
  | { readonly kind: 'emitted'; readonly name: AbandonedName; readonly next_step?: number };

/** The two events a recovery step emits. */
type AbandonedName = 'Cart Abandoned' | 'Checkout Abandoned';

/** Exits that end the cart's checks for good, recorded on the cart. */
const FINAL_EXITS: ReadonlySet<CartExitReason> = new Set([
  'empty',
  'unreachable',
  'ordered_elsewhere',
  'unsubscribed',
]);

/** Whether the stored lines are only the first of the cart's (a cart too big to store whole). */
const isShortened = (cart: CartRecord): boolean =>
  cart.line_count !== undefined && cart.line_count > cart.line_items.length;

/** Whether the stored discount codes are only the first of the checkout's. */
const codesShortened = (cart: CartRecord): boolean =>
  cart.discount_code_count !== undefined && cart.discount_code_count > cart.discount_codes.length;

/**
 * A Shopify cart permalink that rebuilds the cart (`/cart/<variant>:<qty>,...`), when every line has a variant and
 * every line is known.
 */
const cartPermalink = (cart: CartRecord): string | null => {
  const lines = cart.line_items.filter((i) => i.quantity > 0);
  if (lines.length === 0 || isShortened(cart) || lines.some((i) => i.variant_id === null)) return null;
  return `https://${cart.shop}/cart/${lines.map((i) => `${i.variant_id}:${i.quantity}`).join(',')}`;
};

const abandonedEvent = (
  cart: CartRecord,
  lastActivityAt: string,
  step: number,
  quietAt: Date,
  now: Date,
): { readonly name: AbandonedName; readonly event: CanonicalEvent } => {
  const viaCheckout =
    cart.checkout_token !== undefined && !cart.checkout_deleted && cart.recovery_url !== undefined;
  const name: AbandonedName = viaCheckout ? 'Checkout Abandoned' : 'Cart Abandoned';
  const prefix = viaCheckout ? 'checkout-abandoned' : 'cart-abandoned';
  const draft: CanonicalEventDraft = {
    name,
    dedupe_key: `${prefix}#${cart.shop}#${cart.cart_token}#${step}`,
    source: 'shopify',
    shop: cart.shop,
    occurred_at: quietAt.toISOString(),
    person: cart.person,
    properties: {
      step,
      cart_id: cart.cart_token,
      checkout_id: cart.checkout_token ?? null,
      products: cart.line_items,
      item_count: cart.item_count ?? cart.line_items.reduce((sum, i) => sum + i.quantity, 0),
      total: cart.total,
      currency: cart.currency,
      discount_codes: [...cart.discount_codes],
      subtotal: cart.amounts?.subtotal ?? null,
      tax: cart.amounts?.tax ?? null,
      discount: cart.amounts?.discount ?? null,
      presentment_currency: cart.presentment_currency,
      recovery_url: viaCheckout ? (cart.recovery_url ?? null) : cartPermalink(cart),
      last_activity_at: lastActivityAt,
      minutes_since_activity: Math.max(0, Math.floor((now.getTime() - Date.parse(lastActivityAt)) / 60_000)),
      ...(isShortened(cart)
        ? {
            products_truncated: true as const,
            products_total_count: cart.line_count ?? cart.line_items.length,
          }
        : {}),
      ...(codesShortened(cart)
        ? {
            discount_codes_truncated: true as const,
            discount_codes_total_count: cart.discount_code_count ?? cart.discount_codes.length,
          }
        : {}),
    },
  };
  return { name, event: CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) }) };
};

const exit = async (deps: CartCheckDeps, key: CartKey, reason: CartExitReason): Promise<CartCheckOutcome> => {
  if (FINAL_EXITS.has(reason)) await deps.store.finish(key, reason);
  deps.telemetry.counters.count(`CartCheckExit_${reason}`);
  if (reason === 'unreachable') deps.telemetry.counters.count('CartUnreachable');
  deps.telemetry.log.info('cart check exited', { reason, shop: key.shop });
  return { kind: 'exited', reason };
};

/**
 * One fired cart check. Always re-reads the cart, so a check that fires after an order, twice, or late still
 * does the right thing: exit with a reason, move itself to the cart's newer last activity (lazy reschedule),
 * or emit one Cart/Checkout Abandoned for the step and schedule the next step. The event is handed on exactly once
 * like every business event: claim its key, mark the step (refused after conversion), send, complete. A crash
 * anywhere in between leaves the claim to expire and the step marked, and the retry sends it (same event id).
 * Throws on transient failure so the invoker retries; a retry is safe.
 */
export const checkCart = async (input: CartCheckInput, deps: CartCheckDeps): Promise<CartCheckOutcome> => {
  const key: CartKey = { shop: input.shop, cart_token: input.cart_token };
  const cart = await deps.store.getCart(key);
  if (!cart?.last_activity_at) return exit(deps, key, 'missing');
  if (cart.converted_at) return exit(deps, key, 'converted');
  // A step beyond the configured ones (the steps were shortened since) is stale too.
  if (cart.exit_reason || cart.pending.step !== input.step || input.step > deps.config.stepsMinutes.length) {
    return exit(deps, key, cart.emitted_steps.includes(input.step) ? 'already_emitted' : 'stale');
  }
  const now = deps.clock();
  const lastActivityAt = cart.last_activity_at;
  // Marked by an earlier attempt: that attempt decided to emit. Finish its hand-off (sent once by the claim) and
  // schedule the next step, whatever happened in between.
  if (cart.emitted_steps.includes(input.step)) return emit(deps, cart, lastActivityAt, input.step, now);

  const quietAt = stepQuietAt(deps.config, input.step, lastActivityAt);
  // One second of slack: the local scheduler fires on the dot and clocks differ by milliseconds.
  if (quietAt.getTime() > now.getTime() + 1_000) {
    const dueAt = stepDueAt(deps.config, input.step, lastActivityAt, now);
    const alreadyThere = cart.pending.created && cart.pending.due_at >= dueAt.toISOString();
    if (!alreadyThere) {
      await deps.scheduler.schedule({ ...key, step: input.step, due_at: dueAt });
      await deps.store.setPending(key, cart.pending, {
        step: input.step,
        due_at: dueAt.toISOString(),
        created: true,
      });
      deps.telemetry.counters.count('CartCheckRescheduled');
    }
    return { kind: 'rescheduled', due_at: alreadyThere ? cart.pending.due_at : dueAt.toISOString() };
  }

  if (cart.line_items.every((i) => i.quantity === 0)) return exit(deps, key, 'empty');
  const identifiers = resolveIdentifiers(cart.person, deps.identity, cart.shop);
  // Anonymous people cannot receive messages in Customer.io, so an anonymous-only cart is unreachable too.
  if (!identifiers || isAnonymous(identifiers)) return exit(deps, key, 'unreachable');
  const person = await deps.store.readPerson(cart.shop, cart.person);
  if (person.last_order_at !== undefined && person.last_order_at >= lastActivityAt) {
    return exit(deps, key, 'ordered_elsewhere');
  }
  if (person.unsubscribed) return exit(deps, key, 'unsubscribed');
  return emit(deps, cart, lastActivityAt, input.step, now);
};

/**
 * Hands a step's event on exactly once: claim its key (a completed claim means it was sent: only the next step is
 * left), mark the step (refused once the cart converted), send, complete, then schedule the next step. Another
 * check holding the claim right now makes this one fail for a retry (it may be a crashed attempt whose lease has
 * to run out), never drop the step.
 */
const emit = async (
  deps: CartCheckDeps,
  cart: CartRecord,
  lastActivityAt: string,
  step: number,
  now: Date,
): Promise<CartCheckOutcome> => {
  const key: CartKey = { shop: cart.shop, cart_token: cart.cart_token };
  const quietAt = stepQuietAt(deps.config, step, lastActivityAt);
  const identifiers = resolveIdentifiers(cart.person, deps.identity, cart.shop);
  if (!identifiers || isAnonymous(identifiers)) return exit(deps, key, 'unreachable');
  const { name, event } = abandonedEvent(cart, lastActivityAt, step, quietAt, now);
  const claim = await deps.dedupe.claim(event.dedupe_key, now);
  if (claim.status === 'in_progress') throw new ClaimInProgressError(event.dedupe_key);
  if (claim.status === 'duplicate') {
    deps.telemetry.counters.count(`DuplicateBusinessEvent_${name.replace(' ', '')}`);
    return advance(deps, cart, step, lastActivityAt, now);
  }
  try {
    if ((await deps.store.markEmitted(key, step, now.toISOString())) === 'converted') {
      await deps.dedupe.release(event.dedupe_key, claim.token);
      return exit(deps, key, 'converted');
    }
    const message: EventMessage = fitEventMessage({ type: 'event', identifiers, event });
    // Validated and SQS-safe like every outbox message: a product title with U+FFFE must not park the step.
    await deps.outbox.send({ body: encodeOutboxMessage(message) });
  } catch (error) {
    await giveBack(
      event.dedupe_key,
      () => deps.dedupe.release(event.dedupe_key, claim.token),
      deps.telemetry,
    );
    throw error;
  }
  await deps.dedupe.complete(event.dedupe_key, claim.token, deps.clock());
  deps.telemetry.counters.count(`Emitted_${name.replace(' ', '')}`);
  const next = await advance(deps, cart, step, lastActivityAt, now);
  return next.kind === 'rescheduled'
    ? { kind: 'emitted', name, next_step: step + 1 }
    : { kind: 'emitted', name };
};

/** After a step's event: schedules the next step, or ends the cart's checks after the last one. */
const advance = async (
  deps: CartCheckDeps,
  cart: CartRecord,
  step: number,
  lastActivityAt: string,
  now: Date,
): Promise<CartCheckOutcome> => {
  const nextStep = step + 1;
  if (nextStep > deps.config.stepsMinutes.length) {
    await deps.store.finish(cart, 'completed');
    return { kind: 'exited', reason: 'already_emitted' };
  }
  const nextDue = stepDueAt(deps.config, nextStep, lastActivityAt, now);
  await deps.scheduler.schedule({
    shop: cart.shop,
    cart_token: cart.cart_token,
    step: nextStep,
    due_at: nextDue,
  });
  await deps.store.setPending(cart, cart.pending, {
    step: nextStep,
    due_at: nextDue.toISOString(),
    created: true,
  });
  return { kind: 'rescheduled', due_at: nextDue.toISOString() };
};
