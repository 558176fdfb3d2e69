import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import { inboxCorrelation, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { eachRecord, type QueueRecord } from '../../../shared/queue-worker/sqs-record-runner.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { shopifyEnvelope, shopifySampleObject } from '../../helpers/shopify-envelope.js';

/*
 * Lambda hands the process worker up to 10 records at once, and the record runner (eachRecord) works on all of them
 * at the same time, not in turn: two records of one order can be in the same stages at the same moment. The claims
 * are what keep that to one Order Completed.
 */

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => table.close());

const record = (id: string, body: string): QueueRecord => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body,
  attributes: { ApproximateReceiveCount: '1' },
});

describe('records of one batch', () => {
  it('are worked on at once, not one after another', async () => {
    let inFlight = 0;
    let most = 0;
    const work = eachRecord(async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    }, inboxCorrelation);
    await work(Array.from({ length: 10 }, (_, i) => record(`m${i}`, '{}')));
    expect(most).toBe(10);
  });

  it('orders/create, orders/paid and a second copy of orders/create at once: one Order Completed', async () => {
    const { deps, outbox } = realProcessDeps(table, { leaseSeconds: 60 });
    const shop = 'same-batch.myshopify.com';
    const body = JSON.stringify(shopifySampleObject('orders-create.rudderstack.json'));
    const create = JSON.stringify(shopifyEnvelope('orders/create', body, { shop, deliveryId: 'wh-create' }));
    const paid = JSON.stringify(shopifyEnvelope('orders/paid', body, { shop, deliveryId: 'wh-paid' }));
    const work = eachRecord((message) => processInboxMessage(message, deps), inboxCorrelation);

    const failed = await work([record('a', create), record('b', paid), record('c', create)]);

    const completed = () =>
      outbox
        .json()
        .map((m) => OutboxMessageSchema.parse(m))
        .filter((m) => m.type === 'event' && m.event.name === 'Order Completed');
    expect(completed()).toHaveLength(1);
    // Both copies of orders/create claimed their delivery at the same moment: one holds it, the other is retried
    // later (a transient failure), never dropped; its retry finds the delivery done.
    expect([...failed.keys()].filter((id) => id === 'a' || id === 'c')).toHaveLength(1);
    expect(failed.has('b')).toBe(false);
    for (const error of failed.values()) {
      expect((error as Error).name).toBe('ClaimInProgressError');
      expect(classifyFailure(error).class).toBe('transient');
    }
    expect(await processInboxMessage(create, deps)).toBe('duplicate_delivery');
    expect(completed()).toHaveLength(1);
  });
});
