import { afterAll, beforeAll, expect } from 'vitest';
import { CartRecoveryStage } from '../../shared/cart/cart-recovery-stage.js';
import type { CartStore } from '../../shared/cart/cart-store.js';
import { type CartCheckDeps, type CartCheckOutcome, checkCart } from '../../shared/cart/check-cart.js';
import { DynamoCartStore } from '../../shared/cart/dynamo-cart-store.js';
import {
  type CartCheckInput,
  type RecoveryScheduler,
  type ScheduledCheck,
  scheduleName,
} from '../../shared/cart/recovery-scheduler.js';
import type { DedupeStore } from '../../shared/dedupe/dedupe-store.js';
import { DynamoDedupeStore } from '../../shared/dedupe/dynamo-dedupe-store.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../shared/delivery/outbox-message.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import { processInboxMessage } from '../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from './dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from './fakes.js';
import { readSample, shopifyEnvelope } from './shopify-delivery.js';

/** The shop of every scenario cart. */
export const SHOP = 'demo.myshopify.com';
const T0 = Date.parse('2026-11-28T10:00:00.000Z');
/** The scenario clock: `minutes` after the first activity. */
export const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);
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

const json = (sample: string): Record<string, unknown> =>
  JSON.parse(readSample(sample)) as Record<string, unknown>;

/** A carts/create or carts/update body of the sample cart under `token`, with `quantity` of its one line. */
export const cartBody = (token: string, minutes: number, quantity = 1) => {
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

/** A checkouts/create or checkouts/update body of the sample checkout for a cart and buyer. */
export const checkoutBody = (
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

/** An orders/create body of the sample order for a cart and/or checkout and buyer. */
export const orderBody = (
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

/** One scenario's pipeline: deliveries through the cart-recovery stage, and the checks its scheduler holds. */
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

/** Builds a scenario's harness, optionally wrapping its cart store or claim store (to race or crash them). */
type HarnessFactory = (
  wrapStore?: (store: CartStore) => CartStore,
  wrapDedupe?: (dedupe: DedupeStore) => DedupeStore,
) => Harness;

/**
 * Starts dynalite once for the enclosing describe block (counting its writes) and prints, after the block, the
 * Scheduler and DynamoDB writes of each recorded scenario under `title`. Call the harness inside tests.
 */
export const useCartRecoveryHarness = (
  title: string,
): { harness: HarnessFactory; record: (scenario: string, h: Harness) => void } => {
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
      `\n${title}: Scheduler and DynamoDB (cart store) writes per cart\n` +
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

  const harness: HarnessFactory = (wrapStore = (s) => s, wrapDedupe = (d) => d) => {
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

  return { harness, record };
};
