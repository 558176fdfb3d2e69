import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonAttributes } from '../../../shared/canonical/person.js';
import type { CioOperation, CustomerIoTrack } from '../../../shared/delivery/customerio-client.js';
import { type DeliverDeps, deliverOutboxRecords } from '../../../shared/delivery/deliver-batch.js';
import { DeliveryDeferredError } from '../../../shared/delivery/delivery-order.js';
import { DynamoDeliveryOrderStore } from '../../../shared/delivery/delivery-order-store.js';
import type { IdentifyOrdering } from '../../../shared/delivery/identify-ordering.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
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

/** An identify of person `id` with these attributes and this ordering. */
const identify = (id: string, attributes: PersonAttributes, ordering: IdentifyOrdering): OutboxMessage => ({
  type: 'identify',
  identifiers: { id },
  update: {
    dedupe_key: `identify#${JSON.stringify(ordering)}`,
    source: 'shopify',
    shop: 'demo.myshopify.com',
    occurred_at: '2026-11-28T09:00:00.000Z',
    person: { customer_id: id },
    attributes,
  },
  ordering,
});

const rollup = (id: string, version: number, ordersCount: number): OutboxMessage =>
  identify(
    id,
    { orders_count: ordersCount, total_spent: ordersCount * 10 },
    { kind: 'rollup', key: `demo.myshopify.com#id:${id}`, version },
  );

/** A Track client that waits for `gate` before sending: a worker whose call is slow to reach Customer.io. */
class SlowTrack implements CustomerIoTrack {
  private open!: () => void;
  readonly gate = new Promise<void>((resolve) => {
    this.open = resolve;
  });
  entered = false;
  constructor(private readonly track: CustomerIoTrack) {}
  async batch(operations: readonly CioOperation[]) {
    this.entered = true;
    await this.gate;
    return this.track.batch(operations);
  }
  release(): void {
    this.open();
  }
}

describe('identify ordering at delivery (dynalite, local Customer.io capture on 127.0.0.1)', () => {
  let table: TestTable;
  const harness = useTrackCapture();
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  const deps = (overrides: Partial<DeliverDeps> = {}) => {
    const telemetry = testTelemetry();
    const clock = () => new Date();
    return {
      telemetry,
      deps: {
        track: harness.track,
        eventNames: {},
        telemetry,
        clock,
        order: {
          store: new DynamoDeliveryOrderStore(table.client, table.tableName, clock),
          inFlightMs: INFLIGHT_MS,
        },
        ...overrides,
      } satisfies DeliverDeps,
    };
  };

  /** The attributes Customer.io holds for person `id` after every identify it received, in arrival order. */
  const profile = (id: string): Record<string, unknown> => {
    const held: Record<string, unknown> = {};
    for (const op of harness.capture.operations()) {
      const { action, identifiers, attributes } = op as {
        action: string;
        identifiers?: { id?: string };
        attributes?: Record<string, unknown>;
      };
      if (action === 'identify' && identifiers?.id === id) Object.assign(held, attributes);
    }
    return held;
  };

  it('delivers v2 then v1: v1 is skipped and Customer.io ends with v2', async () => {
    // Prepare
    const { deps: d, telemetry } = deps();

    // Act
    const first = await deliverOutboxRecords([outboxRecord('m-v2', rollup('o1', 2, 2))], d);
    const late = await deliverOutboxRecords([outboxRecord('m-v1', rollup('o1', 1, 1))], d);

    // Assess
    expect([...first.keys(), ...late.keys()]).toEqual([]);
    expect(profile('o1')).toMatchObject({ orders_count: 2 });
    expect(harness.capture.operations()).toHaveLength(1);
    expect(telemetry.counters.get('StaleRollupSkipped')).toBe(1);
  });

  it('sends a retry of the same version again (a send that failed after its claim is not lost)', async () => {
    // Prepare
    const { deps: d } = deps();
    harness.capture.respondWith(() => ({ status: 503, body: {} }));
    const failed = await deliverOutboxRecords([outboxRecord('m-r', rollup('o2', 3, 3))], d);
    harness.capture.respondWith(undefined);

    // Act
    const retried = await deliverOutboxRecords([outboxRecord('m-r', rollup('o2', 3, 3))], d);

    // Assess
    expect([...failed.keys()]).toEqual(['m-r']);
    expect([...retried.keys()]).toEqual([]);
    expect(profile('o2')).toMatchObject({ orders_count: 3 });
  });

  it('sends only the newest of one batch (one call does not promise to apply its items in order)', async () => {
    // Prepare
    const { deps: d, telemetry } = deps();

    // Act
    const failed = await deliverOutboxRecords(
      [outboxRecord('b-v2', rollup('o3', 2, 2)), outboxRecord('b-v1', rollup('o3', 1, 1))],
      d,
    );

    // Assess
    expect([...failed.keys()]).toEqual([]);
    expect(harness.capture.operations()).toHaveLength(1);
    expect(profile('o3')).toMatchObject({ orders_count: 2 });
    expect(telemetry.counters.get('StaleRollupSkipped')).toBe(1);
  });

  it('two workers racing: the newer one waits while the older send is on its way, then goes out last', async () => {
    // Prepare
    const slow = new SlowTrack(harness.track);
    const older = deps({ track: slow });
    const newer = deps();

    // Act
    const olderRun = deliverOutboxRecords([outboxRecord('w-v1', rollup('o4', 1, 1))], older.deps);
    while (!slow.entered) await new Promise((resolve) => setTimeout(resolve, 5));
    const newerFirst = await deliverOutboxRecords([outboxRecord('w-v2', rollup('o4', 2, 2))], newer.deps);
    slow.release();
    const olderResult = await olderRun;
    const newerRetry = await deliverOutboxRecords([outboxRecord('w-v2', rollup('o4', 2, 2))], newer.deps);

    // Assess
    const deferred = newerFirst.get('w-v2');
    expect(deferred).toBeInstanceOf(DeliveryDeferredError);
    expect(classifyFailure(deferred)).toMatchObject({ class: 'transient', code: 'claim_in_progress' });
    expect((deferred as DeliveryDeferredError).retryAfterSeconds).toBeLessThanOrEqual(INFLIGHT_MS / 1000);
    expect([...olderResult.keys(), ...newerRetry.keys()]).toEqual([]);
    expect(
      harness.capture
        .operations()
        .map((op) => (op as { attributes: PersonAttributes }).attributes.orders_count),
    ).toEqual([1, 2]);
    expect(profile('o4')).toMatchObject({ orders_count: 2 });
    expect(newer.telemetry.counters.get('DeliveryDeferred')).toBe(1);
  });

  it('two workers racing, any interleaving: retrying what waits, Customer.io ends with the newest', async () => {
    // Prepare
    const workers = [1, 2, 3, 4].map((version) => ({
      version,
      deps: deps().deps,
      record: outboxRecord(`any-v${version}`, rollup('o5', version, version)),
    }));

    // Act
    let pending = workers;
    for (let round = 0; pending.length > 0 && round < 10; round += 1) {
      const results = await Promise.all(pending.map((w) => deliverOutboxRecords([w.record], w.deps)));
      pending = pending.filter((_, i) => (results[i]?.size ?? 0) > 0);
    }

    // Assess
    expect(pending).toEqual([]);
    expect(profile('o5')).toMatchObject({ orders_count: 4 });
  });

  it('a sender that crashed delays the person by at most the in-flight time', async () => {
    // Prepare
    let now = Date.parse('2026-11-28T10:00:00.000Z');
    const clock = () => new Date(now);
    const store = new DynamoDeliveryOrderStore(table.client, table.tableName, clock);
    const { deps: d } = deps({ clock, order: { store, inFlightMs: INFLIGHT_MS } });
    await store.claim({ kind: 'rollup', key: 'demo.myshopify.com#id:o6' }, { rollup: 1 }, true);

    // Act
    now += 1_000;
    const early = await deliverOutboxRecords([outboxRecord('c-v2', rollup('o6', 2, 2))], d);
    now += INFLIGHT_MS;
    const later = await deliverOutboxRecords([outboxRecord('c-v2', rollup('o6', 2, 2))], d);

    // Assess
    expect(early.get('c-v2')).toBeInstanceOf(DeliveryDeferredError);
    expect([...later.keys()]).toEqual([]);
    expect(profile('o6')).toMatchObject({ orders_count: 2 });
  });

  it('customers/update delivered out of order: the older update sends only what nobody sent newer', async () => {
    // Prepare
    const { deps: d, telemetry } = deps();
    const key = 'demo.myshopify.com#shopify#customer:o7';
    const newer = identify(
      'o7',
      { first_name: 'Jon', city: 'Paris' },
      { kind: 'attributes', key, versions: { first_name: 2_000, city: 2_000 } },
    );
    const older = identify(
      'o7',
      { first_name: 'John', last_name: 'Smith', city: 'Ottawa' },
      { kind: 'attributes', key, versions: { first_name: 1_000, last_name: 1_000, city: 1_000 } },
    );

    // Act
    await deliverOutboxRecords([outboxRecord('a-new', newer)], d);
    const failed = await deliverOutboxRecords([outboxRecord('a-old', older)], d);

    // Assess
    expect([...failed.keys()]).toEqual([]);
    expect(profile('o7')).toEqual({ first_name: 'Jon', city: 'Paris', last_name: 'Smith' });
    expect(telemetry.counters.get('StaleAttributesSkipped')).toBe(1);
  });

  it('two updates of one person in one batch go out in that call, each with the attributes it has newest, neither waiting for the other', async () => {
    // Prepare
    const { deps: d, telemetry } = deps();
    const key = 'demo.myshopify.com#shopify#customer:o8';
    const newer = identify(
      'o8',
      { first_name: 'Jon', city: 'Paris' },
      { kind: 'attributes', key, versions: { first_name: 2_000, city: 2_000 } },
    );
    const older = identify(
      'o8',
      { first_name: 'John', last_name: 'Smith', city: 'Ottawa' },
      { kind: 'attributes', key, versions: { first_name: 1_000, last_name: 1_000, city: 1_000 } },
    );

    // Act
    const failed = await deliverOutboxRecords(
      [
        outboxRecord('s-old', older),
        outboxRecord('s-new', newer),
        outboxRecord('s-roll', rollup('o8', 1, 1)),
      ],
      d,
    );

    // Assess
    expect([...failed.keys()]).toEqual([]);
    expect(harness.capture.requests).toHaveLength(1);
    expect(profile('o8')).toEqual({
      first_name: 'Jon',
      city: 'Paris',
      last_name: 'Smith',
      orders_count: 1,
      total_spent: 10,
    });
    expect(telemetry.counters.get('DeliveryDeferred') ?? 0).toBe(0);
    expect(telemetry.counters.get('StaleAttributesSkipped')).toBe(1);
  });

  it("a guest's identify delivered after they got an account is fenced: the account's figures stay", async () => {
    // Prepare
    const clock = () => new Date('2026-11-28T00:00:00Z');
    const orderStore = new DynamoDeliveryOrderStore(table.client, table.tableName, clock);
    const stage = rollupStage({
      store: new DynamoRollupStore(table.client, table.tableName),
      identity: { strategy: 'customer_id', customerIdPrefix: '' },
      clock,
      telemetry: testTelemetry(),
      moved: async (key, version) => {
        await orderStore.claim({ kind: 'rollup', key }, { rollup: version });
      },
    });
    const envelope = shopifyEnvelope('orders/create', '{}');
    const email = 'fenced.guest@example.com';
    const rollupMessage = async (orderId: string, person: { customer_id?: string; email: string }) => {
      const output = await stage.apply(normalized([orderCompletedDraft(orderId, 10, person)]), envelope);
      const plan = planOutputs(
        { ...output, events: [] },
        { strategy: 'customer_id', customerIdPrefix: '' },
        {
          delivery_id: orderId,
          received_at: '2026-11-28T00:00:00.000Z',
        },
      );
      return JSON.parse(plan.emits.at(-1)?.body ?? '{}') as OutboxMessage;
    };
    const guest = await rollupMessage('fg-1', { email });
    const account = await rollupMessage('fg-2', { customer_id: 'fg', email });
    const { deps: d, telemetry } = deps();

    // Act
    await deliverOutboxRecords([outboxRecord('acct', account)], d);
    await deliverOutboxRecords([outboxRecord('guest-late', guest)], d);

    // Assess
    expect(harness.capture.operations()).toHaveLength(1);
    expect(harness.capture.operations()[0]).toMatchObject({
      identifiers: { id: 'fg' },
      attributes: { orders_count: 2 },
    });
    expect(telemetry.counters.get('StaleRollupSkipped')).toBe(1);
  });
});
