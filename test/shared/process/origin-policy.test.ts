import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { toOperation } from '../../../shared/delivery/deliver-batch.js';
import { type OutboxMessage, OutboxMessageSchema } from '../../../shared/delivery/outbox-message.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { readSample, shopifyEnvelope } from '../../helpers/shopify-delivery.js';

const ORDER = readSample('shopify/orders-create.json');

describe('a delivery origin decides what it emits', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table?.close());

  const setup = () => {
    const outbox = new MemoryQueue();
    const telemetry = testTelemetry();
    const deps: ProcessDeps = {
      dedupe: new DynamoDedupeStore(table.client, {
        tableName: table.tableName,
        leaseSeconds: 60,
        retentionDays: 30,
      }),
      outbox,
      normalizers: normalizerRegistry,
      stages: [],
      identity: { strategy: 'customer_id', customerIdPrefix: '' },
      clock: () => new Date('2026-11-28T10:00:00Z'),
      telemetry,
    };
    const run = (overrides: Partial<WebhookEnvelope>) =>
      processInboxMessage(JSON.stringify(shopifyEnvelope('orders/create', ORDER, overrides)), deps);
    const messages = () => outbox.json().map((m) => OutboxMessageSchema.parse(m));
    return { run, messages, telemetry };
  };

  it('withholds a backfill’s events by default and still sends its person update', async () => {
    const { run, messages, telemetry } = setup();

    await run({ origin: 'backfill', deliveryId: 'backfill:attrs:orders/create:1', shop: 'a.myshopify.com' });

    expect(messages().map((m) => m.type)).toEqual(['identify']);
    expect(telemetry.counters.get('BackfillEventsWithheld')).toBe(1);
  });

  it('sends a backfill’s events flagged backfill when asked, and the flag reaches Customer.io', async () => {
    const { run, messages } = setup();

    await run({
      origin: 'backfill',
      backfillEvents: true,
      deliveryId: 'backfill:events:orders/create:1',
      shop: 'b.myshopify.com',
    });

    const event = messages().find((m): m is Extract<OutboxMessage, { type: 'event' }> => m.type === 'event');
    expect(event?.event).toMatchObject({ name: 'Order Completed', backfill: true });
    const operation = event ? toOperation(event, {}) : undefined;
    expect(operation).toMatchObject({
      action: 'event',
      attributes: { backfill: true, order_id: '820982911946154508' },
    });
  });

  it('emits a backfilled order’s event once: a live webhook after a withheld backfill sends it, unflagged', async () => {
    const { run, messages } = setup();
    const shop = 'c.myshopify.com';

    await run({ origin: 'backfill', deliveryId: 'backfill:attrs:orders/create:1', shop });
    await run({ deliveryId: 'live-webhook-1', shop });
    await run({
      origin: 'backfill',
      backfillEvents: true,
      deliveryId: 'backfill:events:orders/create:1',
      shop,
    });

    const events = messages().filter((m) => m.type === 'event');
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty('event.backfill');
  });

  it('treats reconciliation like a webhook: its events are sent and not flagged', async () => {
    const { run, messages } = setup();

    await run({ origin: 'reconcile', deliveryId: 'reconcile:orders/create:1', shop: 'd.myshopify.com' });

    const event = messages().find((m) => m.type === 'event');
    expect(event).toBeDefined();
    expect(event).not.toHaveProperty('event.backfill');
  });
});
