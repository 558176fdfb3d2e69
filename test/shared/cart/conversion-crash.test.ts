import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartRecoveryStage } from '../../../shared/cart/cart-recovery-stage.js';
import type { CartActivitySignal } from '../../../shared/cart/cart-signal.js';
import { checkCart } from '../../../shared/cart/check-cart.js';
import { DynamoCartStore } from '../../../shared/cart/dynamo-cart-store.js';
import type { RecoveryScheduler, ScheduledCheck } from '../../../shared/cart/recovery-scheduler.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { orderCompletedDraft, orderProperties } from '../../helpers/canonical-fixtures.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue, testTelemetry } from '../../helpers/fakes.js';

/*
 * A conversion used to take two cart writes around the Scheduler call: mark converted, delete the schedule, clear the
 * pending check. Now one write does both (converted, nothing pending) before the DeleteSchedule. Its crash window:
 * the process dies after the write and before the schedule is deleted.
 */

const SHOP = 'demo.myshopify.com';
const PERSON = { customer_id: '42', email: 'ada@example.com' };
const T0 = Date.parse('2026-11-28T10:00:00.000Z');

/** Holds schedules; `cancel` can be made to die like the process would. */
class Scheduler implements RecoveryScheduler {
  readonly schedules: ScheduledCheck[] = [];
  cancels = 0;
  dieOnCancel = false;
  async schedule(check: ScheduledCheck): Promise<void> {
    this.schedules.push(check);
  }
  async cancel(): Promise<void> {
    this.cancels += 1;
    if (this.dieOnCancel) throw new Error('process killed');
  }
}

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => table.close());

describe('an order converting a cart with a scheduled check', () => {
  it('killed after the conversion, before the schedule was deleted: the check fires, finds it converted, sends nothing', async () => {
    const now = new Date(T0);
    const clock = () => now;
    const store = new DynamoCartStore(table.client, { tableName: table.tableName, retentionDays: 30 });
    const scheduler = new Scheduler();
    const telemetry = testTelemetry();
    const config = { stepsMinutes: [60, 1440], minLeadMs: 60_000 };
    const stage = new CartRecoveryStage({ store, scheduler, config, clock, telemetry });
    const activity: CartActivitySignal = {
      type: 'cart_activity',
      origin: 'checkout',
      shop: SHOP,
      cart_token: 'crash-cart',
      checkout_token: 'crash-checkout',
      person: PERSON,
      line_items: [],
      total: 10,
      currency: 'USD',
      occurred_at: new Date(T0).toISOString(),
    };
    await stage.apply(normalized([], [], [activity]));
    expect(scheduler.schedules).toHaveLength(1);

    const order = {
      ...orderCompletedDraft('crash-order', 10, PERSON),
      properties: {
        ...orderProperties('crash-order', 10),
        cart_id: 'crash-cart',
        checkout_id: 'crash-checkout',
      },
    };
    scheduler.dieOnCancel = true;
    await expect(stage.apply(normalized([order], [], []))).rejects.toThrow('process killed');
    // The delivery's retry: the cart is converted already and holds no pending check, so nothing to cancel.
    scheduler.dieOnCancel = false;
    await stage.apply(normalized([order], [], []));
    expect(scheduler.cancels).toBe(1);
    expect((await store.getCart({ shop: SHOP, cart_token: 'crash-cart' }))?.pending.step).toBe(0);

    const outbox = new MemoryQueue();
    const [check] = scheduler.schedules;
    const outcome = await checkCart(
      { shop: SHOP, cart_token: check?.cart_token ?? '', step: check?.step ?? 1 },
      {
        store,
        dedupe: new DynamoDedupeStore(table.client, {
          tableName: table.tableName,
          leaseSeconds: 60,
          retentionDays: 30,
        }),
        scheduler,
        outbox,
        config,
        identity: { strategy: 'customer_id', customerIdPrefix: '' },
        clock: () => new Date(T0 + 2 * 3_600_000),
        telemetry,
      },
    );
    expect(outcome).toEqual({ kind: 'exited', reason: 'converted' });
    expect(outbox.sent).toEqual([]);
  });
});
