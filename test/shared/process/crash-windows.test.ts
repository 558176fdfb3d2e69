import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DedupeStore, OwnershipStore } from '../../../shared/dedupe/dedupe-store.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import type { MessageQueue, QueueMessage } from '../../../shared/ports/message-queue.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue } from '../../helpers/fakes.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { shopifyEnvelope, shopifySampleObject } from '../../helpers/shopify-envelope.js';

/*
 * The writes this work removed or batched, each through the crash window it opened, on dynalite with every process
 * stage: identify claims (gone: idempotent, ordered by the stale-update stage), event claim + completion (one
 * ownership write), one send per output (one SendMessageBatch). "Crash" = the process dies: nothing it would give
 * back on failure is given back, and its delivery claim stays until its lease runs out.
 */

const LEASE_SECONDS = 30;

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => table.close());

const setup = () => {
  let now = new Date('2026-11-28T10:00:00Z');
  const clock = () => now;
  const {
    deps,
    dedupe: store,
    outbox,
    telemetry,
  } = realProcessDeps(table, { clock, leaseSeconds: LEASE_SECONDS });
  /** Deps of a process that dies at `point`: it gives nothing back. */
  const crashing = (point: 'before-send' | 'after-send'): ProcessDeps => {
    const killed: DedupeStore & OwnershipStore = {
      claim: (k, n) => store.claim(k, n),
      complete: async (k, t, n) => {
        if (point === 'after-send' && k.startsWith('delivery#')) throw new Error('process killed');
        return store.complete(k, t, n);
      },
      release: async () => undefined,
      own: (k, o, n) => store.own(k, o, n),
      disown: async () => undefined,
    };
    const dead: MessageQueue = {
      send: async () => {
        throw new Error('process killed');
      },
      sendBatch: async () => {
        throw new Error('process killed');
      },
    };
    return { ...deps, dedupe: killed, outbox: point === 'before-send' ? dead : outbox };
  };
  const messages = () => outbox.json().map((m) => OutboxMessageSchema.parse(m));
  return {
    deps,
    crashing,
    outbox,
    messages,
    telemetry,
    leaseRunsOut: () => {
      now = new Date(now.getTime() + (LEASE_SECONDS + 1) * 1000);
    },
  };
};

let orderSeq = 0;
/** One real order (rudderstack capture): a buyer with customer id and email, its cart and checkout tokens. */
const anOrder = () => {
  orderSeq += 1;
  const shop = `crash${orderSeq}.myshopify.com`;
  const body = JSON.stringify({
    ...shopifySampleObject('orders-create.rudderstack.json'),
    id: 7000 + orderSeq,
  });
  return {
    create: JSON.stringify(
      shopifyEnvelope('orders/create', body, { shop, deliveryId: `wh-create-${orderSeq}` }),
    ),
    paid: JSON.stringify(shopifyEnvelope('orders/paid', body, { shop, deliveryId: `wh-paid-${orderSeq}` })),
  };
};

const typesOf = (messages: OutboxMessage[]) =>
  messages.map((m) =>
    m.type === 'identify'
      ? `identify:${m.update.dedupe_key.split('#')[0]}`
      : `${m.type}:${m.type === 'event' ? m.event.name : ''}`,
  );

describe('the owner of an event is the delivery that first states it (one write instead of claim + complete)', () => {
  it('killed after owning, before sending: orders/paid meanwhile sends only the buyer, the retry sends the event once', async () => {
    const { deps, crashing, messages, leaseRunsOut, telemetry } = setup();
    const order = anOrder();
    await expect(processInboxMessage(order.create, crashing('before-send'))).rejects.toThrow(
      'process killed',
    );
    expect(await processInboxMessage(order.paid, deps)).toBe('processed');
    // The buyer's identify carries no claim; the event and the rollup that follows it are orders/create's.
    expect(typesOf(messages())).toEqual(['identify:identify']);
    expect(telemetry.counters.get('DuplicateBusinessEvent_event')).toBe(1);
    leaseRunsOut();
    expect(await processInboxMessage(order.create, deps)).toBe('processed');
    expect(typesOf(messages().slice(1)).sort()).toEqual(
      ['event:Order Completed', 'identify:identify', 'identify:rollup'].sort(),
    );
  });

  it('killed after sending, before completing: the retry sends the same event id again (Customer.io drops it)', async () => {
    const { deps, crashing, messages, leaseRunsOut } = setup();
    const order = anOrder();
    await expect(processInboxMessage(order.create, crashing('after-send'))).rejects.toThrow('process killed');
    const first = messages().filter((m) => m.type === 'event');
    leaseRunsOut();
    expect(await processInboxMessage(order.create, deps)).toBe('processed');
    const events = messages().filter((m) => m.type === 'event');
    expect(events).toHaveLength(2);
    expect(new Set(events.map((m) => m.type === 'event' && m.event.id))).toEqual(
      new Set(first.map((m) => m.type === 'event' && m.event.id)),
    );
    const sent = messages().length;
    expect(await processInboxMessage(order.paid, deps)).toBe('processed');
    expect(typesOf(messages().slice(sent))).toEqual(['identify:identify']);
  });

  it('a delivery that fails (not killed) gives its events back: orders/paid then sends the Order Completed', async () => {
    const { deps, messages } = setup();
    const order = anOrder();
    const down = new MemoryQueue();
    down.failWith = new Error('SQS unavailable');
    await expect(processInboxMessage(order.create, { ...deps, outbox: down })).rejects.toThrow(
      'SQS unavailable',
    );
    expect(await processInboxMessage(order.paid, deps)).toBe('processed');
    expect(messages().filter((m) => m.type === 'event')).toHaveLength(1);
  });
});

describe('identifies carry no claim', () => {
  const customer = (phone: string, updatedAt: string, deliveryId: string) =>
    JSON.stringify(
      shopifyEnvelope(
        'customers/update',
        JSON.stringify({ ...shopifySampleObject('customers-update.json'), phone, updated_at: updatedAt }),
        { shop: 'identify-crash.myshopify.com', deliveryId },
      ),
    );

  it('a retry after a crash never resends an attribute a newer update changed meanwhile', async () => {
    const { deps, crashing, messages, leaseRunsOut } = setup();
    const older = customer('+16135550101', '2026-11-28T09:00:00Z', 'wh-older');
    await expect(processInboxMessage(older, crashing('after-send'))).rejects.toThrow('process killed');
    expect(
      await processInboxMessage(customer('+16135550202', '2026-11-28T09:30:00Z', 'wh-newer'), deps),
    ).toBe('processed');
    leaseRunsOut();
    expect(await processInboxMessage(older, deps)).toBe('processed');
    const phones = messages().flatMap((m) =>
      m.type === 'identify' && m.update.attributes.phone ? [m.update.attributes.phone] : [],
    );
    // Sent by the first attempt, then the newer one; the retry of the older one resends no phone.
    expect(phones).toEqual(['+16135550101', '+16135550202']);
  });

  it('a restatement while the first delivery is between its writes and its send carries the same attributes', async () => {
    const { deps, crashing, messages, leaseRunsOut } = setup();
    const order = anOrder();
    await expect(processInboxMessage(order.create, crashing('before-send'))).rejects.toThrow(
      'process killed',
    );
    // orders/paid states the buyer again (no claim stops it), and nothing else: its event and rollup belong to
    // orders/create, whose retry sends them and the buyer once more, with the same attributes.
    await processInboxMessage(order.paid, deps);
    leaseRunsOut();
    await processInboxMessage(order.create, deps);
    const buyer = messages().flatMap((m) =>
      m.type === 'identify' && m.update.dedupe_key.startsWith('identify#') ? [m.update.attributes] : [],
    );
    expect(buyer).toHaveLength(2);
    expect(buyer[1]).toEqual(buyer[0]);
    expect(
      typesOf(messages())
        .filter((t) => t !== 'identify:identify')
        .sort(),
    ).toEqual(['event:Order Completed', 'identify:rollup']);
  });
});

describe('one SendMessageBatch per delivery instead of one send per output', () => {
  /** SQS took the first message of the batch, then the process died (or the call timed out). */
  class HalfSent implements MessageQueue {
    constructor(private readonly into: MemoryQueue) {}
    async send(message: QueueMessage): Promise<void> {
      return this.into.send(message);
    }
    async sendBatch(messages: readonly QueueMessage[]): Promise<void> {
      await this.into.sendBatch(messages.slice(0, 1));
      throw new Error('connection reset after the first entry');
    }
  }

  it('a batch cut short is sent whole by the retry: nothing lost, the repeated entry identical', async () => {
    const { deps, outbox, messages } = setup();
    const order = anOrder();
    await expect(
      processInboxMessage(order.create, { ...deps, outbox: new HalfSent(outbox) }),
    ).rejects.toThrow('connection reset');
    const cut = outbox.sent.map((m) => m.body);
    expect(cut).toHaveLength(1);
    expect(await processInboxMessage(order.create, deps)).toBe('processed');
    const bodies = outbox.sent.map((m) => m.body);
    expect(bodies.slice(1)).toContain(cut[0]);
    expect(typesOf(messages().slice(1)).sort()).toEqual(
      ['event:Order Completed', 'identify:identify', 'identify:rollup'].sort(),
    );
  });
});
