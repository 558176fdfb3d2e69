import { describe, expect, it } from 'vitest';
import type { CartActivitySignal, MarketingConsentSignal } from '../../../shared/cart/cart-signal.js';
import type { CartStore } from '../../../shared/cart/cart-store.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import {
  at,
  cartBody,
  checkoutBody,
  orderBody,
  SHOP,
  useCartRecoveryHarness,
} from '../../helpers/cart-recovery-harness.js';
import type { testTelemetry } from '../../helpers/fakes.js';

const SAMPLE_LINE = {
  product_id: '1',
  variant_id: '2',
  sku: null,
  name: 'Hat',
  variant_name: null,
  brand: null,
  category: null,
  quantity: 1,
  price: 10,
  discount: 0,
  url: null,
  image_url: null,
};

describe('cart recovery scenarios: when recovery stops (stage + check cores, real dynalite, fake scheduler and outbox)', () => {
  const { harness, record } = useCartRecoveryHarness('Cart recovery scenarios (exits)');

  it('1. order before the check: converted, schedule deleted, nothing fires', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s1-cart', 's1-chk', 0));
    expect(h.scheduler.schedules.size).toBe(1);
    h.setNow(10);
    await h.deliver('orders/create', orderBody('9001', 10, { cart: 's1-cart', checkout: 's1-chk' }));
    expect(h.scheduler.schedules.size).toBe(0);
    expect(await h.fire(61)).toEqual([]);
    expect(h.events()).toEqual(['Checkout Started', 'Order Completed']);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([1, 1]);
    record('1 order before the check', h);
  });

  it('2. order after the first step: one Checkout Abandoned, then the second step is cancelled', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s2-cart', 's2-chk', 0));
    expect(await h.fire(60)).toEqual([{ kind: 'emitted', name: 'Checkout Abandoned', next_step: 2 }]);
    h.setNow(120);
    await h.deliver('orders/create', orderBody('9002', 120, { checkout: 's2-chk' }));
    expect(await h.fire(60 + 1440)).toEqual([]);
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1', 'Order Completed']);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([2, 1]);
    record('2 order after the first step', h);
  });

  it('3. order on another device: the same person ordered after the cart went quiet → exit', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s3-phone', 's3-chk-phone', 0, '503'));
    h.setNow(30);
    await h.deliver(
      'orders/create',
      orderBody('9003', 30, { cart: 's3-laptop', checkout: 's3-chk-laptop' }, '503'),
    );
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'ordered_elsewhere' }]);
    expect(h.events()).toEqual(['Checkout Started', 'Order Completed']);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([1, 0]);
    record('3 order on another device', h);
  });

  it('6. delete racing the firing: the check re-reads state, and the step guard refuses a converted cart', async () => {
    let raceOrder: (() => Promise<void>) | undefined;
    const h = harness((store) => ({
      ...bindAll(store),
      markEmitted: async (key, step, when) => {
        await raceOrder?.();
        return store.markEmitted(key, step, when);
      },
    }));
    await h.deliver('checkouts/create', checkoutBody('s6-cart', 's6-chk', 0));
    raceOrder = async () => {
      raceOrder = undefined;
      await h.deliver('orders/create', orderBody('9006', 60, { cart: 's6-cart' }));
    };
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'converted' }]);
    expect(h.events()).toEqual(['Checkout Started', 'Order Completed']);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([1, 1]);
    record('6 delete racing the firing', h);
  });

  it('7. anonymous cart: never identifiable → recorded unreachable and counted, no further steps', async () => {
    const h = harness();
    await h.deliver('carts/create', cartBody('s7-cart', 0));
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'unreachable' }]);
    expect(
      (h.deps.telemetry.counters as ReturnType<typeof testTelemetry>['counters']).get('CartUnreachable'),
    ).toBe(1);
    expect(await h.deps.store.getCart({ shop: SHOP, cart_token: 's7-cart' })).toMatchObject({
      exit_reason: 'unreachable',
      pending: { step: 0 },
    });
    expect(h.scheduler.schedules.size).toBe(0);
    expect(h.events()).toEqual([]);
    record('7 anonymous cart', h);
  });

  it("7b. an anonymous browser id never becomes a cart's person: such a cart stays unreachable", async () => {
    const h = harness();
    await h.stage.apply(
      normalized(
        [],
        [],
        [
          {
            type: 'cart_activity',
            origin: 'checkout',
            shop: SHOP,
            cart_token: 's7b-cart',
            person: { anonymous_id: 'browser-1' },
            line_items: [],
            total: 10,
            currency: 'USD',
            occurred_at: at(0).toISOString(),
          } as CartActivitySignal,
        ],
      ),
    );
    await h.stage.apply(
      normalized(
        [],
        [],
        [
          {
            type: 'cart_activity',
            origin: 'cart',
            shop: SHOP,
            cart_token: 's7b-cart',
            person: { anonymous_id: 'browser-1' },
            line_items: [{ ...SAMPLE_LINE, quantity: 1 }],
            total: 10,
            currency: 'USD',
            occurred_at: at(0).toISOString(),
          } as CartActivitySignal,
        ],
      ),
    );
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'unreachable' }]);
    expect(h.events()).toEqual([]);
  });

  it('7c. a cart that exited unreachable is re-armed when the shopper comes back and becomes identifiable', async () => {
    const h = harness();
    await h.deliver('carts/create', cartBody('s7c-cart', 0));
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'unreachable' }]);
    h.setNow(1500);
    await h.deliver('checkouts/create', checkoutBody('s7c-cart', 's7c-chk', 1500));
    expect(h.scheduler.schedules.size).toBe(1);
    const fired = await h.fire(1560);
    expect(fired).toEqual([expect.objectContaining({ kind: 'emitted' })]);
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1']);
  });

  it('8. emptied cart: exit without an event', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s8-cart', 's8-chk', 0));
    await h.deliver('carts/update', cartBody('s8-cart', 0, 0));
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'empty' }]);
    expect(h.events()).toEqual(['Checkout Started']);
    expect(h.scheduler.schedules.size).toBe(0);
    record('8 emptied cart', h);
  });

  it('9. unsubscribed person: exit without an event', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s9-cart', 's9-chk', 0, '509'));
    const consent: MarketingConsentSignal = {
      type: 'marketing_consent',
      shop: SHOP,
      person: { customer_id: '509' },
      unsubscribed: true,
      observed_at: at(5).toISOString(),
    };
    await h.stage.apply(normalized([], [], [consent]));
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'unsubscribed' }]);
    expect(h.events()).toEqual(['Checkout Started']);
    record('9 unsubscribed person', h);
  });

  it('9b. an unsubscribe arriving as a Shopify email-consent webhook stops recovery', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s9b-cart', 's9b-chk', 0, '777'));
    await h.deliver('customers_email_marketing_consent/update', {
      customer_id: 777,
      email_address: 'someone@example.com',
      email_marketing_consent: {
        state: 'unsubscribed',
        opt_in_level: null,
        consent_updated_at: at(5).toISOString(),
      },
    });
    expect(await h.fire(60)).toEqual([{ kind: 'exited', reason: 'unsubscribed' }]);
    expect(h.events()).toEqual(['Checkout Started']);
  });

  it('11. checkout completed but orders/create late or parked: no Abandoned to a buyer', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s13-cart', 's13-chk', 0));
    await h.deliver('checkouts/update', {
      ...checkoutBody('s13-cart', 's13-chk', 2),
      completed_at: at(2).toISOString(),
    });
    // The conversion deleted the pending check: nothing fires, nothing is sent.
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([1, 1]);
    expect(await h.fire(60)).toEqual([]);
    expect(h.events()).toEqual(['Checkout Started']);
    expect(await h.deps.store.getCart({ shop: SHOP, cart_token: 's13-cart' })).toMatchObject({
      converted_at: expect.any(String),
    });
  });
});

/** A store whose methods keep `this` when spread into a wrapper. */
const bindAll = (store: CartStore): CartStore => {
  const proto = Object.getPrototypeOf(store) as object;
  const names = Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor');
  return Object.fromEntries(
    names.map((n) => [n, (store as unknown as Record<string, (...a: unknown[]) => unknown>)[n]?.bind(store)]),
  ) as unknown as CartStore;
};
