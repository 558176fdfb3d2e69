import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSeenRecords } from '../../../shared/backfill/dynamo-seen-records.js';
import type { DedupeStore, OwnershipStore } from '../../../shared/dedupe/dedupe-store.js';
import { OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import type { MessageQueue } from '../../../shared/ports/message-queue.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { shopifyEnvelope, shopifySampleObject } from '../../helpers/shopify-envelope.js';

/**
 * A delivery that owns an event and dies before sending it, and is never retried to the end (its record parked after
 * repeated timeouts): the event must not be stranded. Another delivery of the same order takes the key over once the
 * owner's claim no longer counts, and reconciliation sees the order as not yet through until then.
 */
describe('an event owned by a delivery that died before sending (dynalite, real stages)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table.close());

  it('is sent by the next delivery of the same order, once, and reconciliation feeds it until then', async () => {
    let now = new Date('2026-11-28T10:00:00Z');
    const clock = () => now;
    const { deps, dedupe: store, outbox } = realProcessDeps(table, { clock, leaseSeconds: 120 });
    const shop = 'stranded.myshopify.com';
    const body = JSON.stringify({ ...shopifySampleObject('orders-create.rudderstack.json'), id: 91001 });
    const create = JSON.stringify(shopifyEnvelope('orders/create', body, { shop, deliveryId: 'wh-create' }));
    const paid = JSON.stringify(shopifyEnvelope('orders/paid', body, { shop, deliveryId: 'wh-paid' }));
    const orderKey = `order-completed#${shop}#91001`;
    const seen = new DynamoSeenRecords(table.client, table.tableName, async () => undefined);
    const orderCompleted = () =>
      outbox
        .json()
        .map((m) => OutboxMessageSchema.parse(m))
        .filter((m) => m.type === 'event' && m.event.name === 'Order Completed');

    // orders/create dies after its ownership write, before SendMessageBatch answers: nothing is given back.
    const killed: DedupeStore & OwnershipStore = {
      claim: (k, n) => store.claim(k, n),
      complete: (k, t, n) => store.complete(k, t, n),
      release: async () => undefined,
      own: (k, o, n) => store.own(k, o, n),
      disown: async () => undefined,
    };
    const dead: MessageQueue = {
      send: async () => {
        throw new Error('killed');
      },
      sendBatch: async () => {
        throw new Error('killed');
      },
    };
    await expect(processInboxMessage(create, { ...deps, dedupe: killed, outbox: dead })).rejects.toThrow(
      'killed',
    );
    // Within its lease the owner may still be working: the key is its own, and counts as in hand.
    expect(await seen.completed([orderKey], now)).toEqual(new Set([orderKey]));

    // Its record was parked (timeouts until overdue). A day later orders/paid reports the same order.
    now = new Date(now.getTime() + 86_400_000);
    expect(await seen.completed([orderKey], now)).toEqual(new Set());
    expect(await processInboxMessage(paid, deps)).toBe('processed');
    expect(orderCompleted()).toHaveLength(1);
    expect(await seen.completed([orderKey], now)).toEqual(new Set([orderKey]));

    // An operator redrives the parked orders/create: the event is already out, nothing is sent twice.
    now = new Date(now.getTime() + 60_000);
    expect(await processInboxMessage(create, deps)).toBe('processed');
    expect(orderCompleted()).toHaveLength(1);
  });
});
