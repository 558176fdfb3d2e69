import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartRecoveryStage } from '../../../shared/cart/cart-recovery-stage.js';
import { type CartCheckOutcome, checkCart } from '../../../shared/cart/check-cart.js';
import { DynamoCartStore } from '../../../shared/cart/dynamo-cart-store.js';
import type {
  CartCheckInput,
  RecoveryScheduler,
  ScheduledCheck,
} from '../../../shared/cart/recovery-scheduler.js';
import { OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const T0 = Date.parse('2026-11-28T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** Holds schedules; hands out the due ones like EventBridge Scheduler (ActionAfterCompletion DELETE). */
class HeldSchedules implements RecoveryScheduler {
  readonly checks: ScheduledCheck[] = [];
  async schedule(check: ScheduledCheck): Promise<void> {
    this.checks.push(check);
  }
  async cancel(): Promise<void> {}
  takeDue(now: Date): CartCheckInput[] {
    const due = this.checks.filter((c) => c.due_at.getTime() <= now.getTime());
    this.checks.splice(0, this.checks.length, ...this.checks.filter((c) => !due.includes(c)));
    return due.map(({ shop, cart_token, step }) => ({ shop, cart_token, step }));
  }
}

const sample = (file: string) => JSON.parse(readSample(file)) as Record<string, unknown>;

describe('cart recovery: a checkout that names the shopper arrives after the anonymous cart exited (dynalite)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table?.close());

  it('re-arms the cart when the late checkout is older than the cart activity, and the step goes out', async () => {
    let now = at(0);
    const clock = () => now;
    const store = new DynamoCartStore(table.client, { tableName: table.tableName, retentionDays: 30 });
    const scheduler = new HeldSchedules();
    const outbox = new MemoryQueue();
    const telemetry = testTelemetry();
    const config = { stepsMinutes: [60, 1440], minLeadMs: 60_000 };
    const identity = { strategy: 'customer_id' as const, customerIdPrefix: '' };
    const processDeps = {
      dedupe: new MemoryDedupeStore(),
      outbox,
      normalizers: normalizerRegistry,
      stages: [new CartRecoveryStage({ store, scheduler, config, clock, telemetry })],
      identity,
      clock,
      telemetry,
    };
    let delivery = 0;
    const deliver = async (topic: string, body: unknown) => {
      delivery += 1;
      const envelope = shopifyEnvelope(topic, JSON.stringify(body), {
        deliveryId: `late-${delivery}`,
        receivedAt: now.toISOString(),
      });
      await processInboxMessage(JSON.stringify(envelope), processDeps);
    };
    const fire = async (minutes: number): Promise<CartCheckOutcome[]> => {
      now = at(minutes);
      const deps = {
        store,
        dedupe: new MemoryDedupeStore(),
        scheduler,
        outbox,
        config,
        identity,
        clock,
        telemetry,
      };
      const outcomes: CartCheckOutcome[] = [];
      for (const input of scheduler.takeDue(now)) outcomes.push(await checkCart(input, deps));
      return outcomes;
    };

    // The shopper started the checkout at minute 2 and changed the cart at minute 5; the cart update came first
    // and the checkout's delivery was held up (platform retries, a backlog) past the first step.
    now = at(5);
    await deliver('carts/update', {
      ...sample('shopify/carts-create.json'),
      id: 'late-cart',
      token: 'late-cart',
      updated_at: at(5).toISOString(),
    });
    expect(await fire(66)).toEqual([{ kind: 'exited', reason: 'unreachable' }]);

    now = at(70);
    const checkout = sample('shopify/checkouts-create.json');
    await deliver('checkouts/create', {
      ...checkout,
      token: 'late-checkout',
      cart_token: 'late-cart',
      customer: { ...(checkout.customer as object), id: '4242' },
      created_at: at(2).toISOString(),
      updated_at: at(2).toISOString(),
    });

    expect(await fire(72)).toEqual([{ kind: 'emitted', name: 'Checkout Abandoned', next_step: 2 }]);
    const abandoned = outbox
      .json()
      .map((m) => OutboxMessageSchema.parse(m))
      .flatMap((m) => (m.type === 'event' && m.event.name === 'Checkout Abandoned' ? [m] : []));
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]).toMatchObject({ identifiers: { id: '4242' }, event: { properties: { step: 1 } } });
  });
});
