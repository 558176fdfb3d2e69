import { describe, expect, it } from 'vitest';
import { deliveryRecord, type ProcessedDelivery } from '../../../shared/activity/delivery-entry.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { rollupIdentifyKey } from '../../../shared/people/rollup-stage.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import type { ProcessStage } from '../../../shared/process/process-stage.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const ORDER = readSample('shopify/orders-create.json');

/** Stands in for the rollup stage: one rollup identify per event, under the key the real stage uses. */
const rollupIdentifies: ProcessStage = {
  name: 'test-rollups',
  async apply(output) {
    return {
      ...output,
      people: [
        ...output.people,
        ...output.events.map((event) => ({
          dedupe_key: rollupIdentifyKey(event.dedupe_key),
          source: event.source,
          shop: event.shop,
          occurred_at: event.occurred_at,
          person: event.person,
          attributes: { orders_count: 1 },
        })),
      ],
    };
  },
};

const setup = () => {
  const processed: ProcessedDelivery[] = [];
  const outbox = new MemoryQueue();
  const deps: ProcessDeps = {
    dedupe: new MemoryDedupeStore(),
    outbox,
    normalizers: normalizerRegistry,
    stages: [rollupIdentifies],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock: () => new Date('2026-11-28T10:00:00Z'),
    telemetry: testTelemetry(),
    activity: {
      processed: async (delivery) => {
        processed.push(delivery);
      },
    },
  };
  return { deps, outbox, processed };
};

/** The verdicts the activity record stores for one processed delivery (absent = queued). */
const storedVerdicts = (delivery: ProcessedDelivery | undefined) => {
  const entry = delivery && deliveryRecord(delivery)?.entry;
  if (!entry || !('events' in entry)) throw new Error('expected a delivery entry');
  return {
    events: (entry.events ?? []).map((e) => e.verdict ?? 'queued'),
    updates: (entry.updates ?? []).map((u) => `${u.kind}:${u.verdict ?? 'queued'}`),
  };
};

describe('activity verdicts with ownership writes and one batched send', () => {
  it('reports what each output became: queued, duplicate (its key or its event owned elsewhere), unidentified', async () => {
    // Prepare
    const { deps, outbox, processed } = setup();
    const created = JSON.stringify(shopifyEnvelope('orders/create', ORDER));
    const paid = JSON.stringify(shopifyEnvelope('orders/paid', ORDER, { deliveryId: 'wh-paid' }));
    const anonymous: Record<string, unknown> = { ...(JSON.parse(ORDER) as Record<string, unknown>), id: 77 };
    for (const field of [
      'customer',
      'email',
      'phone',
      'contact_email',
      'billing_address',
      'shipping_address',
    ])
      delete anonymous[field];
    const nobody = JSON.stringify(
      shopifyEnvelope('orders/create', JSON.stringify(anonymous), { deliveryId: 'wh-nobody' }),
    );

    // Act
    await processInboxMessage(created, deps);
    const sentByCreate = outbox.sent.length;
    await processInboxMessage(paid, deps);
    await processInboxMessage(nobody, deps);

    // Assess: orders/create owns the event, so its rollup identify goes with it; all three queued.
    expect(storedVerdicts(processed[0])).toEqual({
      events: ['queued'],
      updates: ['profile:queued', 'rollup:queued'],
    });
    // orders/paid: the event is orders/create's, and the rollup identify follows it; the buyer's identify
    // (identifies carry no claim) is restated and queued.
    expect(storedVerdicts(processed[1])).toEqual({
      events: ['duplicate'],
      updates: ['profile:queued', 'rollup:duplicate'],
    });
    expect(outbox.sent.length - sentByCreate).toBe(1);
    // An order that names nobody: its event (and the stand-in rollup identify) has no person to go to.
    expect(processed[2]?.verdict).toBe('processed');
    expect(storedVerdicts(processed[2])).toEqual({
      events: ['unidentified'],
      updates: ['rollup:unidentified'],
    });
  });
});
