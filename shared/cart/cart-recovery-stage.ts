import type { CanonicalEventDraft } from '../canonical/events.js';
import type { ContactForgottenSignal } from '../identity/identity-signal.js';
import type { Normalized } from '../normalize/normalizer.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import { type CartRecoveryConfig, notBefore, stepDueAt } from './cart-recovery-config.js';
import { type CartActivitySignal, checkoutCartKey, signalsOf } from './cart-signal.js';
import type { CartKey, CartStore } from './cart-store.js';
import type { RecoveryScheduler } from './recovery-scheduler.js';

/** What the cart-recovery stage needs. */
export interface CartRecoveryStageDeps {
  readonly store: CartStore;
  readonly scheduler: RecoveryScheduler;
  readonly config: CartRecoveryConfig;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

type OrderCompleted = Extract<CanonicalEventDraft, { name: 'Order Completed' }>;

/**
 * Keeps cart records and their one pending check. Cart activity upserts the cart; only its first activity
 * schedules a check (later updates just move `last_activity_at`, and the check reschedules itself lazily).
 * Order Completed marks the order's carts converted, cancels their pending check and records the buyer's last
 * order time for the cross-device exit. Every write is conditional, so a re-run of the delivery is harmless.
 */
export class CartRecoveryStage implements ProcessStage {
  readonly name = 'cart-recovery';

  constructor(private readonly deps: CartRecoveryStageDeps) {}

  async apply(output: Normalized): Promise<Normalized> {
    for (const activity of signalsOf(output.signals, 'cart_activity')) await this.recordActivity(activity);
    for (const deleted of signalsOf(output.signals, 'checkout_deleted')) {
      await this.deps.store.markCheckoutDeleted(
        { shop: deleted.shop, cart_token: deleted.cart_token },
        deleted.observed_at,
      );
    }
    for (const consent of signalsOf(output.signals, 'marketing_consent')) {
      await this.deps.store.recordConsent(
        consent.shop,
        consent.person,
        consent.unsubscribed,
        consent.observed_at,
      );
    }
    for (const completed of signalsOf(output.signals, 'checkout_completed')) {
      const tokens = new Set([completed.cart_token]);
      for (const token of await this.deps.store.findByCheckout(completed.shop, completed.checkout_token))
        tokens.add(token);
      await Promise.all([
        this.convert(completed.shop, tokens, `checkout:${completed.checkout_token}`, completed.observed_at),
        this.deps.store.recordOrder(completed.shop, completed.person, completed.observed_at),
      ]);
    }
    for (const event of output.events) {
      if (event.name === 'Order Completed') await this.orderCompleted(event);
    }
    for (const signal of output.signals) {
      if (signal.type === 'contact_forgotten') await this.forgetContact(signal as ContactForgottenSignal);
    }
    return output;
  }

  /** Privacy redact: blanks the contact data of the forgotten person's carts (by cart and checkout token). */
  private async forgetContact(signal: ContactForgottenSignal): Promise<void> {
    const { store, telemetry } = this.deps;
    const tokens = new Set(signal.cart_tokens);
    for (const checkoutToken of signal.checkout_tokens) {
      tokens.add(checkoutCartKey(null, checkoutToken));
      for (const token of await store.findByCheckout(signal.shop, checkoutToken)) tokens.add(token);
    }
    for (const cartToken of tokens) {
      if (await store.forgetContact({ shop: signal.shop, cart_token: cartToken })) {
        telemetry.counters.count('CartContactForgotten');
      }
    }
  }

  private async recordActivity(activity: CartActivitySignal): Promise<void> {
    const { store, scheduler, config, clock, telemetry } = this.deps;
    const now = clock();
    const firstDue = stepDueAt(config, 1, activity.occurred_at, now);
    const firstCheck = { step: 1, due_at: firstDue.toISOString() };
    let cart = await store.recordActivity(activity, firstCheck);
    telemetry.counters.count('CartActivity');
    if (cart.exit_reason && !cart.converted_at) {
      // A shopper back on a cart that exited (e.g. anonymous until now) starts a new recovery from step 1; so
      // does a cart that exited unreachable when a delivery naming its person arrives, even one older than the cart.
      const identifies = Boolean(activity.person.customer_id || activity.person.email);
      const reopened = await store.rearm(cart, firstCheck, activity.occurred_at, { identifies });
      if (reopened) {
        cart = reopened;
        telemetry.counters.count('CartRearmed');
      }
    }
    if (cart.converted_at || cart.exit_reason || cart.pending.step === 0 || cart.pending.created) return;
    // First activity (or a re-run after a crash before the Scheduler accepted the check).
    const dueAt = notBefore(Date.parse(cart.pending.due_at), now, config.minLeadMs);
    await scheduler.schedule({
      shop: cart.shop,
      cart_token: cart.cart_token,
      step: cart.pending.step,
      due_at: dueAt,
    });
    await store.setPending(cart, cart.pending, {
      step: cart.pending.step,
      due_at: dueAt.toISOString(),
      created: true,
    });
    telemetry.counters.count('CartCheckScheduled');
  }

  private async orderCompleted(event: OrderCompleted): Promise<void> {
    const { store } = this.deps;
    const { cart_id: cartId, checkout_id: checkoutId, order_id: orderId } = event.properties;
    const tokens = new Set<string>(cartId ? [cartId] : []);
    if (checkoutId) {
      for (const token of await store.findByCheckout(event.shop, checkoutId)) tokens.add(token);
      if (tokens.size === 0) tokens.add(checkoutCartKey(null, checkoutId));
    }
    // The person's last order is its own item: recorded while the carts convert.
    await Promise.all([
      this.convert(event.shop, tokens, orderId, event.occurred_at),
      store.recordOrder(event.shop, event.person, event.occurred_at),
    ]);
  }

  /** Marks carts converted and cancels their pending checks (conditional writes: a re-run changes nothing). */
  private async convert(
    shop: string,
    tokens: Iterable<string>,
    reference: string,
    at: string,
  ): Promise<void> {
    const { store, scheduler, telemetry } = this.deps;
    const convertOne = async (cartToken: string): Promise<void> => {
      const key: CartKey = { shop, cart_token: cartToken };
      const { record, changed, cancel } = await store.markConverted(key, reference, at);
      if (changed) telemetry.counters.count('CartConverted');
      // A cart converted before conversions cleared their check in the same write still holds one.
      const pending = cancel ?? (record.pending.step === 0 ? undefined : record.pending);
      if (!pending) return;
      await scheduler.cancel({ ...key, step: pending.step, due_at: new Date(pending.due_at) });
      if (!cancel) await store.setPending(key, pending, { step: 0, due_at: pending.due_at, created: false });
      telemetry.counters.count('CartCheckCancelled');
    };
    // Each cart is its own item and its own schedule.
    await Promise.all([...tokens].map(convertOne));
  }
}
