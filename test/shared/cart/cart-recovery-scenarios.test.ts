import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartRecoveryStage } from '../../../shared/cart/cart-recovery-stage.js';
import type { CartActivitySignal, MarketingConsentSignal } from '../../../shared/cart/cart-signal.js';
import type { CartStore } from '../../../shared/cart/cart-store.js';
import { type CartCheckDeps, type CartCheckOutcome, checkCart } from '../../../shared/cart/check-cart.js';
import { DynamoCartStore } from '../../../shared/cart/dynamo-cart-store.js';
import {
  type CartCheckInput,
  type RecoveryScheduler,
  type ScheduledCheck,
  scheduleName,
} from '../../../shared/cart/recovery-scheduler.js';
import type { DedupeStore } from '../../../shared/dedupe/dedupe-store.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { toOperation } from '../../../shared/delivery/deliver-batch.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import { ClaimInProgressError } from '../../../shared/errors.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const SHOP = 'demo.myshopify.com';
const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);
const STEPS = [60, 1440];
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/** A fake RecoveryScheduler (the AWS adapter has its own test): holds schedules and counts every write. */
class FakeScheduler implements RecoveryScheduler {
  readonly schedules = new Map<string, ScheduledCheck>();
  creates = 0;
  deletes = 0;
  failNext?: Error;
  async schedule(check: ScheduledCheck): Promise<void> {
    this.creates += 1;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    if (!this.schedules.has(scheduleName(check))) this.schedules.set(scheduleName(check), check);
  }
  async cancel(check: ScheduledCheck): Promise<void> {
    this.deletes += 1;
    this.schedules.delete(scheduleName(check));
  }
  /** Removes and returns the schedules due at `now` (ActionAfterCompletion DELETE). */
  takeDue(now: Date): CartCheckInput[] {
    const due = [...this.schedules.entries()].filter(([, c]) => c.due_at.getTime() <= now.getTime());
    for (const [name] of due) this.schedules.delete(name);
    return due.map(([, c]) => ({ shop: c.shop, cart_token: c.cart_token, step: c.step }));
  }
}

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

const json = (sample: string): Record<string, unknown> =>
  JSON.parse(readSample(sample)) as Record<string, unknown>;

const cartBody = (token: string, minutes: number, quantity = 1) => {
  const cart = json('shopify/carts-create.json');
  const [line] = cart.line_items as Record<string, unknown>[];
  return {
    ...cart,
    id: token,
    token,
    line_items:
      quantity === 0
        ? []
        : [{ ...line, variant_id: '704912205188288575', quantity, line_price: String(19.99 * quantity) }],
    updated_at: at(minutes).toISOString(),
  };
};

const checkoutBody = (
  cartToken: string,
  checkoutToken: string,
  minutes: number,
  customerId = `c-${cartToken.split('-')[0]}`,
) => {
  const checkout = json('shopify/checkouts-create.json');
  return {
    ...checkout,
    token: checkoutToken,
    cart_token: cartToken,
    email: `buyer${customerId}@example.com`,
    customer: { ...(checkout.customer as object), id: customerId, email: `buyer${customerId}@example.com` },
    abandoned_checkout_url: `https://${SHOP}/checkouts/ac/${cartToken}/recover?key=k`,
    created_at: at(minutes).toISOString(),
    updated_at: at(minutes).toISOString(),
  };
};

const orderBody = (
  orderId: string,
  minutes: number,
  tokens: { cart?: string; checkout?: string },
  customerId = `c-${(tokens.cart ?? tokens.checkout ?? '').split('-')[0]}`,
) => {
  const order = json('shopify/orders-create.json');
  return {
    ...order,
    id: orderId,
    cart_token: tokens.cart ?? null,
    checkout_token: tokens.checkout ?? null,
    email: `buyer${customerId}@example.com`,
    contact_email: `buyer${customerId}@example.com`,
    customer: { ...(order.customer as object), id: customerId, email: `buyer${customerId}@example.com` },
    created_at: at(minutes).toISOString(),
    processed_at: at(minutes).toISOString(),
    updated_at: at(minutes).toISOString(),
  };
};

interface Harness {
  deliver(topic: string, body: unknown): Promise<void>;
  /** Fires every due check at `minutes` (each `times` times, sequentially) and returns their outcomes. */
  fire(minutes: number, times?: number): Promise<CartCheckOutcome[]>;
  stage: CartRecoveryStage;
  deps: CartCheckDeps;
  scheduler: FakeScheduler;
  events(): string[];
  dynamoWrites(): number;
  setNow(minutes: number): void;
}

describe('cart recovery scenarios (stage + check cores, real dynalite, fake scheduler and outbox)', () => {
  let table: TestTable;
  const writes = { count: 0 };
  const results: Record<string, string | number>[] = [];

  beforeAll(async () => {
    table = await startTestTable();
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (WRITES.has(context.commandName ?? '')) writes.count += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countWrites' },
    );
  });
  afterAll(async () => {
    console.log(
      '\nCart recovery scenarios: Scheduler and DynamoDB (cart store) writes per cart\n' +
        results
          .map(
            (r) =>
              `  ${String(r.scenario).padEnd(36)} scheduler creates=${r.creates} deletes=${r.deletes} ` +
              `dynamodb writes=${r.dynamo}  events: ${r.events}`,
          )
          .join('\n'),
    );
    await table.close();
  });

  const harness = (
    wrapStore: (store: CartStore) => CartStore = (s) => s,
    wrapDedupe: (dedupe: DedupeStore) => DedupeStore = (d) => d,
  ): Harness => {
    let now = at(0);
    const clock = () => now;
    const store = wrapStore(
      new DynamoCartStore(table.client, { tableName: table.tableName, retentionDays: 30 }),
    );
    const scheduler = new FakeScheduler();
    const outbox = new MemoryQueue();
    const telemetry = testTelemetry();
    const config = { stepsMinutes: STEPS, minLeadMs: 60_000 };
    const stage = new CartRecoveryStage({ store, scheduler, config, clock, telemetry });
    const identity = { strategy: 'customer_id' as const, customerIdPrefix: '' };
    const dedupe = wrapDedupe(
      new DynamoDedupeStore(table.client, {
        tableName: table.tableName,
        leaseSeconds: 60,
        retentionDays: 30,
      }),
    );
    const deps: CartCheckDeps = { store, dedupe, scheduler, outbox, config, identity, clock, telemetry };
    const processDeps = {
      dedupe: new MemoryDedupeStore(),
      outbox,
      normalizers: normalizerRegistry,
      stages: [stage],
      identity,
      clock,
      telemetry,
    };
    let delivery = 0;
    const startWrites = writes.count;
    return {
      stage,
      deps,
      scheduler,
      setNow: (minutes) => {
        now = at(minutes);
      },
      deliver: async (topic, body) => {
        delivery += 1;
        const envelope = shopifyEnvelope(topic, JSON.stringify(body), {
          deliveryId: `d-${delivery}-${Math.random()}`,
          receivedAt: now.toISOString(),
        });
        expect(await processInboxMessage(JSON.stringify(envelope), processDeps)).toBe('processed');
      },
      fire: async (minutes, times = 1) => {
        now = at(minutes);
        const outcomes: CartCheckOutcome[] = [];
        for (const input of scheduler.takeDue(now)) {
          for (let i = 0; i < times; i += 1) outcomes.push(await checkCart(input, deps));
        }
        return outcomes;
      },
      events: () =>
        outbox
          .json()
          .map((m) => OutboxMessageSchema.parse(m) as OutboxMessage)
          .flatMap((m) => (m.type === 'event' ? [m.event] : []))
          .map((e) => ('step' in e.properties ? `${e.name}#${e.properties.step}` : e.name)),
      dynamoWrites: () => writes.count - startWrites,
    };
  };

  const record = (scenario: string, h: Harness) => {
    results.push({
      scenario,
      creates: h.scheduler.creates,
      deletes: h.scheduler.deletes,
      dynamo: h.dynamoWrites(),
      events: h.events().join(', ') || '(none)',
    });
  };

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

  it('4. cart updated after scheduling: updates never call the Scheduler; the check reschedules lazily', async () => {
    const h = harness();
    await h.deliver('carts/create', cartBody('s4-cart', 0));
    await h.deliver('checkouts/create', checkoutBody('s4-cart', 's4-chk', 5));
    for (const minutes of [10, 20, 40]) {
      h.setNow(minutes);
      await h.deliver('carts/update', cartBody('s4-cart', minutes, 2));
    }
    expect(h.scheduler.creates).toBe(1);
    expect(await h.fire(60)).toEqual([{ kind: 'rescheduled', due_at: at(100).toISOString() }]);
    const [outcome] = await h.fire(100);
    expect(outcome).toEqual({ kind: 'emitted', name: 'Checkout Abandoned', next_step: 2 });
    expect(await h.fire(40 + 1440)).toEqual([{ kind: 'emitted', name: 'Checkout Abandoned' }]);
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1', 'Checkout Abandoned#2']);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([3, 0]);
    expect(h.scheduler.schedules.size).toBe(0);
    record('4 updated after scheduling (lazy)', h);
  });

  it('4b. the abandoned event carries step, lines, total, currency, recovery URL and minutes since activity', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s4b-cart', 's4b-chk', 0));
    await h.fire(61);
    const message = OutboxMessageSchema.parse((h.deps.outbox as MemoryQueue).json().at(-1)) as Extract<
      OutboxMessage,
      { type: 'event' }
    >;
    expect(message.identifiers).toEqual({ id: 'c-s4b' });
    expect(message.event).toMatchObject({
      name: 'Checkout Abandoned',
      dedupe_key: `checkout-abandoned#${SHOP}#s4b-cart#1`,
      occurred_at: at(60).toISOString(),
      person: { customer_id: 'c-s4b', email: 'buyerc-s4b@example.com' },
      properties: {
        step: 1,
        cart_id: 's4b-cart',
        checkout_id: 's4b-chk',
        item_count: 2,
        total: 421.88,
        currency: 'USD',
        recovery_url: `https://${SHOP}/checkouts/ac/s4b-cart/recover?key=k`,
        last_activity_at: at(0).toISOString(),
        minutes_since_activity: 61,
      },
    });
  });

  it('4c. Checkout Abandoned carries the checkout discount codes and amounts; a later cart edit drops only the amounts', async () => {
    // Prepare
    const h = harness();
    const abandoned = () =>
      (h.deps.outbox as MemoryQueue)
        .json()
        .map((m) => OutboxMessageSchema.parse(m) as OutboxMessage)
        .flatMap((m) => (m.type === 'event' && m.event.name === 'Checkout Abandoned' ? [m.event] : []));
    await h.deliver('checkouts/create', {
      ...checkoutBody('s4c-cart', 's4c-chk', 0),
      discount_codes: [
        { code: 'SAVE10', amount: '10.00', type: 'fixed_amount' },
        { code: 'FREESHIP', amount: '0.00', type: 'shipping' },
      ],
      subtotal_price: '398.00',
      total_tax: '23.88',
      total_discounts: '10.00',
      presentment_currency: 'CAD',
    });

    // Act
    await h.fire(61);
    h.setNow(100);
    await h.deliver('carts/update', cartBody('s4c-cart', 100, 3));
    await h.fire(100 + 1440);

    // Assess
    const [first, second] = abandoned();
    expect(first?.properties).toMatchObject({
      step: 1,
      discount_codes: ['SAVE10', 'FREESHIP'],
      subtotal: 398,
      tax: 23.88,
      discount: 10,
      presentment_currency: 'CAD',
    });
    expect(second?.properties).toMatchObject({
      step: 2,
      discount_codes: ['SAVE10', 'FREESHIP'],
      subtotal: null,
      tax: null,
      discount: null,
      presentment_currency: 'CAD',
      item_count: 3,
    });
  });

  it('5. double firing: the step is emitted once, sequentially and concurrently', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s5-cart', 's5-chk', 0));
    const outcomes = await h.fire(60, 2);
    expect(outcomes).toEqual([
      { kind: 'emitted', name: 'Checkout Abandoned', next_step: 2 },
      { kind: 'exited', reason: 'already_emitted' },
    ]);
    h.setNow(60 + 1440);
    const [input] = h.scheduler.takeDue(at(60 + 1440));
    expect(input).toEqual({ shop: SHOP, cart_token: 's5-cart', step: 2 });
    const concurrent = await Promise.allSettled(
      [1, 2, 3].map(() => checkCart(input as CartCheckInput, h.deps)),
    );
    const settled = concurrent.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(settled.filter((o) => o.kind === 'emitted')).toHaveLength(1);
    // A check that found the step's hand-off claimed by another fails for a retry (the holder may have crashed)...
    const failed = concurrent.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    for (const reason of failed) expect(reason).toBeInstanceOf(ClaimInProgressError);
    // ...and its retry finds the step done.
    for (const _ of failed) {
      expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
        kind: 'exited',
        reason: 'already_emitted',
      });
    }
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1', 'Checkout Abandoned#2']);
    record('5 double firing', h);
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

  it('10. checkout deleted without an order: Cart Abandoned with a cart permalink instead of the dead link', async () => {
    const h = harness();
    await h.deliver('carts/create', cartBody('s10-cart', 0, 2));
    await h.deliver('checkouts/create', checkoutBody('s10-cart', 's10-chk', 0));
    await h.deliver('carts/update', cartBody('s10-cart', 1, 2));
    await h.deliver('checkouts/delete', { id: 1, cart_token: 's10-cart' });
    await h.fire(61);
    const last = (h.deps.outbox as MemoryQueue).json<OutboxMessage>().at(-1);
    expect(last?.type === 'event' && last.event.name).toBe('Cart Abandoned');
    expect(last?.type === 'event' && last.event.properties).toMatchObject({
      recovery_url: `https://${SHOP}/cart/704912205188288575:2`,
      total: 39.98,
    });
    record('10 checkout deleted, no order', h);
  });

  it('a failed hand-off gives the step back; a failed next-step schedule is finished by the retry', async () => {
    const h = harness();
    await h.deliver('checkouts/create', checkoutBody('s12-cart', 's12-chk', 0));
    const [input] = h.scheduler.takeDue(at(60));
    h.setNow(60);
    const outbox = h.deps.outbox as MemoryQueue;
    outbox.failWith = new Error('SQS down');
    await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('SQS down');
    outbox.failWith = undefined;
    h.scheduler.failNext = new Error('Scheduler throttled');
    await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('Scheduler throttled');
    expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
      kind: 'rescheduled',
      due_at: at(1440).toISOString(),
    });
    expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
      kind: 'exited',
      reason: 'already_emitted',
    });
    expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1']);
    expect([...h.scheduler.schedules.values()].map((c) => c.step)).toEqual([2]);
  });

  it('a checkout of 3,000 lines: stored shortened, abandoned event under 32 KB with the full counts', async () => {
    const h = harness();
    const checkout = checkoutBody('s16-cart', 's16-chk', 0);
    const [line] = (checkout as Record<string, unknown>).line_items as Record<string, unknown>[];
    const lines = Array.from({ length: 3_000 }, (_, i) => ({
      ...line,
      variant_id: String(900_000 + i),
      title: `Bulk item ${i} with a descriptive title`,
      quantity: 2,
    }));
    await h.deliver('checkouts/create', { ...checkout, line_items: lines });
    const stored = await h.deps.store.getCart({ shop: SHOP, cart_token: 's16-cart' });
    expect(stored?.line_count).toBe(3_000);
    expect(stored?.item_count).toBe(6_000);
    expect(stored?.line_items.length).toBeLessThan(3_000);
    await h.fire(61);
    const messages = (h.deps.outbox as MemoryQueue).json<OutboxMessage>();
    const abandoned = messages.find((m) => m.type === 'event' && m.event.name === 'Checkout Abandoned');
    if (abandoned?.type !== 'event') throw new Error('no Checkout Abandoned');
    expect(Buffer.byteLength(JSON.stringify(toOperation(abandoned, {})))).toBeLessThanOrEqual(32 * 1024);
    expect(abandoned.event.properties).toMatchObject({
      item_count: 6_000,
      products_truncated: true,
      products_total_count: 3_000,
    });
    const started = messages.find((m) => m.type === 'event' && m.event.name === 'Checkout Started');
    expect(started?.type === 'event' && started.event.properties).toMatchObject({
      item_count: 6_000,
      products_truncated: true,
      products_total_count: 3_000,
    });
  });

  describe('a crash never loses a step (claim → send → complete, one event id)', () => {
    /** A dedupe store whose owner dies at the given point: the process is gone, so nothing after it runs. */
    const dying = (point: 'before_send' | 'before_complete') => {
      const crash = { armed: true };
      const wrap = (dedupe: DedupeStore): DedupeStore => ({
        claim: (key, now) => dedupe.claim(key, now),
        release: async (key, token) => {
          // A crashed process releases nothing.
          if (!(crash.armed && point === 'before_send')) await dedupe.release(key, token);
        },
        complete: async (key, token, now) => {
          if (crash.armed && point === 'before_complete') {
            crash.armed = false;
            throw new Error('crashed after the send');
          }
          await dedupe.complete(key, token, now);
        },
      });
      return { crash, wrap };
    };

    it('between marking the step and the outbox send: the retry after the lease sends it', async () => {
      const { crash, wrap } = dying('before_send');
      const h = harness(undefined, wrap);
      const outbox = h.deps.outbox as MemoryQueue;
      await h.deliver('checkouts/create', checkoutBody('s14-cart', 's14-chk', 0));
      const [input] = h.scheduler.takeDue(at(60));
      h.setNow(60);
      outbox.failWith = new Error('crashed before the send');
      await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('crashed before the send');
      outbox.failWith = undefined;
      crash.armed = false;
      expect((await h.deps.store.getCart({ shop: SHOP, cart_token: 's14-cart' }))?.emitted_steps).toEqual([
        1,
      ]);
      // Lambda retries about a minute later: the dead attempt's claim still holds, so this one fails for a retry.
      await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toBeInstanceOf(ClaimInProgressError);
      h.setNow(60 + 2);
      expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
        kind: 'emitted',
        name: 'Checkout Abandoned',
        next_step: 2,
      });
      expect(h.events()).toEqual(['Checkout Started', 'Checkout Abandoned#1']);
    });

    it('between the send and completing the claim: sent again under the same event id, then done', async () => {
      const { wrap } = dying('before_complete');
      const h = harness(undefined, wrap);
      await h.deliver('checkouts/create', checkoutBody('s15-cart', 's15-chk', 0));
      const [input] = h.scheduler.takeDue(at(60));
      h.setNow(60);
      await expect(checkCart(input as CartCheckInput, h.deps)).rejects.toThrow('crashed after the send');
      h.setNow(60 + 2);
      expect(await checkCart(input as CartCheckInput, h.deps)).toMatchObject({ kind: 'emitted' });
      expect(await checkCart(input as CartCheckInput, h.deps)).toEqual({
        kind: 'exited',
        reason: 'already_emitted',
      });
      const ids = (h.deps.outbox as MemoryQueue)
        .json<OutboxMessage>()
        .flatMap((m) => (m.type === 'event' && m.event.name === 'Checkout Abandoned' ? [m.event.id] : []));
      expect(ids).toHaveLength(2);
      expect(new Set(ids).size).toBe(1);
    });
  });

  it('a repeated delivery of the same activity or order makes no further Scheduler call', async () => {
    const h = harness();
    const checkout = checkoutBody('s11-cart', 's11-chk', 0);
    await h.deliver('checkouts/create', checkout);
    await h.deliver('checkouts/update', checkout);
    const order = orderBody('9011', 10, { cart: 's11-cart', checkout: 's11-chk' });
    h.setNow(10);
    await h.deliver('orders/create', order);
    await h.deliver('orders/paid', order);
    expect([h.scheduler.creates, h.scheduler.deletes]).toEqual([1, 1]);
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
