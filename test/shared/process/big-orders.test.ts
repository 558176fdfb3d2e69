import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutboxRecords } from '../../../shared/delivery/deliver-batch.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { bigShopifyOrder } from '../../helpers/big-order.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { type MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { shopifyEnvelope } from '../../helpers/shopify-delivery.js';
import { useTrackCapture } from '../../helpers/track-capture.js';

/** Customer.io's limit for one Track v2 batch item. */
const ITEM_LIMIT = 32 * 1024;

const attributesOf = (op: Record<string, unknown> | undefined): Record<string, unknown> =>
  (op?.attributes ?? {}) as Record<string, unknown>;

describe('big orders: orders/create → process (every stage, dynalite) → deliver → Customer.io capture', () => {
  let table: TestTable;
  let deps: ProcessDeps;
  let outbox: MemoryQueue;
  const cio = useTrackCapture();
  const clock = () => new Date('2026-11-28T10:00:00Z');
  beforeAll(async () => {
    table = await startTestTable();
    ({ deps, outbox } = realProcessDeps(table, {
      clock,
      leaseSeconds: 60,
      retentionDays: 1,
      localScheduler: true,
    }));
  });
  afterAll(async () => table?.close());

  /** Delivers what the outbox holds as one batch (message ids `${prefix}0`, `${prefix}1`...); none may fail. */
  const deliverSent = async (prefix: string) => {
    const records = outbox.sent.map((m, i) => ({ messageId: `${prefix}${i}`, body: m.body }));
    const failed = await deliverOutboxRecords(records, {
      track: cio.track,
      eventNames: {},
      telemetry: testTelemetry(),
      clock,
    });
    expect([...failed.keys()]).toEqual([]);
  };

  it.each([1, 100, 1_000, 10_000])(
    'delivers a %i-line order: every item under 32 KB, totals, counts and the line count intact',
    async (lines) => {
      outbox.sent.length = 0;
      const customerId = String(6_000_000 + lines);
      const order = bigShopifyOrder(lines, { orderId: String(5_000_000 + lines), customerId });
      const envelope = shopifyEnvelope('orders/create', order.body, { deliveryId: `wh-big-${lines}` });
      expect(await processInboxMessage(JSON.stringify(envelope), deps)).toBe('processed');
      await deliverSent('m');

      const items = cio.capture.operations();
      for (const item of items)
        expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThanOrEqual(ITEM_LIMIT);
      const events = items.filter((op) => op.action === 'event');
      expect(events).toHaveLength(1);
      const attributes = attributesOf(events[0]);
      expect(events[0]).toMatchObject({ name: 'Order Completed', identifiers: { id: customerId } });
      expect(attributes).toMatchObject({
        total: order.total,
        subtotal: order.total,
        item_count: order.itemCount,
      });
      const products = attributes.products as { name: string; quantity: number }[];
      expect(products[0]?.name).toBe('Product 0 (organic cotton tee)');
      if (products.length < lines) {
        expect(attributes).toMatchObject({ products_truncated: true, products_total_count: lines });
      } else {
        expect(attributes).not.toHaveProperty('products_truncated');
      }
      // The rollup counts the whole order, not the lines that fit.
      const rollup = items.find(
        (op) => op.action === 'identify' && attributesOf(op).last_order_value !== undefined,
      );
      expect(attributesOf(rollup).last_order_value).toBe(order.total);
    },
    60_000,
  );

  it('delivers an order whose one line has a 40 KB title, shortened', async () => {
    outbox.sent.length = 0;
    const order = bigShopifyOrder(1, {
      orderId: '5100000',
      customerId: '6100000',
      title: () => `Gift set ${'with a very long description '.repeat(1_500)}`,
    });
    const envelope = shopifyEnvelope('orders/create', order.body, { deliveryId: 'wh-big-title' });
    expect(await processInboxMessage(JSON.stringify(envelope), deps)).toBe('processed');
    await deliverSent('t');
    const [event] = cio.capture.operations().filter((op) => op.action === 'event');
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(ITEM_LIMIT);
    const [line] = attributesOf(event).products as { name: string }[];
    expect(line?.name.startsWith('Gift set with a very long description')).toBe(true);
    expect(line?.name.endsWith('…')).toBe(true);
    expect(attributesOf(event).total).toBe(order.total);
  });
});
