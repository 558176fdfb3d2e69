import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliverDeps, deliverOutboxRecords } from '../../../shared/delivery/deliver-batch.js';
import { DynamoDeliveryOrderStore } from '../../../shared/delivery/delivery-order-store.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { normalized } from '../../../shared/normalize/normalizer.js';
import { rollupStage } from '../../../shared/people/rollup-stage.js';
import { DynamoRollupStore } from '../../../shared/people/rollup-store.js';
import { planOutputs } from '../../../shared/process/plan-outputs.js';
import { orderCompletedDraft } from '../../helpers/canonical-fixtures.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { testTelemetry } from '../../helpers/fakes.js';
import { shopifyEnvelope } from '../../helpers/shopify-delivery.js';
import { outboxRecord, useTrackCapture } from '../../helpers/track-capture.js';

const INFLIGHT_MS = 90_000;

describe('identify ordering after a redact (dynalite, local Customer.io capture on 127.0.0.1)', () => {
  let table: TestTable;
  const harness = useTrackCapture();
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  it("a customer who returns after a redact gets their new rollup delivered, not refused as older than the forgotten one's", async () => {
    // Prepare: the rollup stage wired to the delivery order as in shared/runtime/process-stages.ts.
    const clock = () => new Date('2026-11-28T00:00:00Z');
    const orderStore = new DynamoDeliveryOrderStore(table.client, table.tableName, clock);
    const identity = { strategy: 'customer_id', customerIdPrefix: '' } as const;
    const stage = rollupStage({
      store: new DynamoRollupStore(table.client, table.tableName),
      identity,
      clock,
      telemetry: testTelemetry(),
      moved: async (key, version) => {
        await orderStore.claim({ kind: 'rollup', key }, { rollup: version });
      },
      forgotten: async (keys) => {
        for (const key of keys) await orderStore.forget({ kind: 'rollup', key });
      },
    });
    const envelope = shopifyEnvelope('orders/create', '{}');
    const person = { customer_id: 'rt', email: 'returning@example.com' };
    const telemetry = testTelemetry();
    const deps: DeliverDeps = {
      track: harness.track,
      eventNames: {},
      telemetry,
      clock: () => new Date(),
      order: { store: orderStore, inFlightMs: INFLIGHT_MS },
    };
    const deliverRollup = async (orderId: string) => {
      const output = await stage.apply(normalized([orderCompletedDraft(orderId, 10, person)]), envelope);
      const plan = planOutputs({ ...output, events: [] }, identity, {
        delivery_id: orderId,
        received_at: '2026-11-28T00:00:00.000Z',
      });
      const message = JSON.parse(plan.emits.at(-1)?.body ?? '{}') as OutboxMessage;
      return deliverOutboxRecords([outboxRecord(orderId, message)], deps);
    };
    for (const orderId of ['rt-1', 'rt-2', 'rt-3']) await deliverRollup(orderId);

    // Act
    await stage.apply(
      {
        ...normalized([]),
        deletions: [
          {
            dedupe_key: 'delete#rt',
            source: 'shopify',
            shop: envelope.shop,
            occurred_at: '2026-11-28T00:00:00.000Z',
            person,
            order_ids: ['rt-1', 'rt-2', 'rt-3'],
          },
        ],
      },
      envelope,
    );
    const failed = await deliverRollup('rt-4');

    // Assess
    expect([...failed.keys()]).toEqual([]);
    const sent = harness.capture
      .operations()
      .map((op) => (op as { attributes?: { orders_count?: number } }).attributes?.orders_count);
    expect(sent).toEqual([1, 2, 3, 1]);
    expect(telemetry.counters.get('StaleRollupSkipped') ?? 0).toBe(0);
  });
});
