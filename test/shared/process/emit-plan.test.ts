import { describe, expect, it } from 'vitest';
import type { QueueMessage } from '../../../shared/ports/message-queue.js';
import { emitPlan } from '../../../shared/process/emit-plan.js';
import type { EmitPlan, PlannedEmit } from '../../../shared/process/plan-outputs.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';

const emit = (type: PlannedEmit['type'], key: string, follows?: string): PlannedEmit => ({
  type,
  key,
  body: `{"${type}":"${key}"}`,
  ...(follows ? { follows } : {}),
});

const plan = (...emits: PlannedEmit[]): EmitPlan => ({ emits, unidentified: [] });

/** A queue that counts its requests. */
class CountingQueue extends MemoryQueue {
  batches = 0;
  override async sendBatch(messages: readonly QueueMessage[]): Promise<void> {
    this.batches += 1;
    return super.sendBatch(messages);
  }
}

/** Deliveries emit under their own live claim (as processInboxMessage does): their ownership counts. */
const setup = () => {
  const ownership = new MemoryDedupeStore();
  const outbox = new CountingQueue();
  const telemetry = testTelemetry();
  const now = new Date();
  for (const delivery of ['delivery#a', 'delivery#create', 'delivery#paid'])
    void ownership.claim(delivery, now);
  return { ownership, outbox, telemetry, deps: { ownership, outbox, clock: () => now, telemetry } };
};

describe('emitPlan', () => {
  it('owns events, merges and deletes (never identifies) and sends everything in one request', async () => {
    const { deps, ownership, outbox, telemetry } = setup();
    const outputs = plan(
      emit('merge', 'merge-profiles#1'),
      emit('identify', 'identify#1'),
      emit('delete', 'delete#1'),
      emit('event', 'order-completed#1'),
    );
    await emitPlan(outputs, 'delivery#a', deps);
    expect(outbox.batches).toBe(1);
    expect(outbox.sent.map((m) => m.body)).toEqual(outputs.emits.map((e) => e.body));
    expect([...ownership.owners.keys()].sort()).toEqual([
      'delete#1',
      'merge-profiles#1',
      'order-completed#1',
    ]);
    expect(telemetry.counters.get('Emitted_identify')).toBe(1);
  });

  it("skips what another delivery owns, and an identify that follows a skipped event; the owner's retry sends all", async () => {
    const { deps, outbox, telemetry } = setup();
    const outputs = plan(
      emit('identify', 'identify#order#1'),
      emit('identify', 'rollup#order-completed#1', 'order-completed#1'),
      emit('event', 'order-completed#1'),
    );
    await emitPlan(outputs, 'delivery#create', deps);
    await emitPlan(outputs, 'delivery#paid', deps);
    expect(outbox.sent.slice(3).map((m) => m.body)).toEqual([outputs.emits[0]?.body]);
    expect(telemetry.counters.get('DuplicateBusinessEvent_event')).toBe(1);
    await emitPlan(outputs, 'delivery#create', deps);
    expect(outbox.sent).toHaveLength(7);
  });

  it("claims nothing for an unsigned delivery (its ids are a browser's)", async () => {
    const { deps, ownership, outbox } = setup();
    await emitPlan(plan(emit('event', 'product-viewed#1')), undefined, deps);
    await emitPlan(plan(emit('event', 'product-viewed#1')), undefined, deps);
    expect(ownership.owners.size).toBe(0);
    expect(outbox.sent).toHaveLength(2);
  });

  it('gives its keys back when the send fails, so another delivery of the same event can send it', async () => {
    const { deps, ownership, outbox } = setup();
    outbox.failWith = new Error('SQS unavailable');
    await expect(emitPlan(plan(emit('event', 'order-completed#2')), 'delivery#create', deps)).rejects.toThrow(
      'SQS unavailable',
    );
    expect(ownership.owners.size).toBe(0);
    outbox.failWith = undefined;
    await emitPlan(plan(emit('event', 'order-completed#2')), 'delivery#paid', deps);
    expect(outbox.sent).toHaveLength(1);
  });

  it('sends nothing and makes no request when everything was sent by another delivery', async () => {
    const { deps, outbox } = setup();
    await emitPlan(plan(emit('event', 'order-completed#3')), 'delivery#create', deps);
    await emitPlan(plan(emit('event', 'order-completed#3')), 'delivery#paid', deps);
    expect(outbox.batches).toBe(1);
  });
});
