import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOutboxRecords, type OutboxRecord } from '../../../shared/delivery/deliver-batch.js';
import { DynamoDeliveryOrderStore } from '../../../shared/delivery/delivery-order-store.js';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { countDynamoCalls } from '../../helpers/aws-calls.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { type MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { realProcessDeps } from '../../helpers/real-process-deps.js';
import { readReviewSample, reviewEnvelope } from '../../helpers/reviews-envelope.js';
import { shopifyEnvelope, shopifySampleObject } from '../../helpers/shopify-envelope.js';
import { useTrackCapture } from '../../helpers/track-capture.js';

/*
 * What identify ordering costs the deliver function in DynamoDB (docs/deploy.md, cost inputs). Real webhooks of
 * one customer go through the real process stages on dynalite; each webhook's outbox messages are then delivered
 * as one batch to a local Customer.io capture, counting every DynamoDB request deliver sends.
 */

const SHOP = 'demo.myshopify.com';
const CUSTOMER = { id: 207119551, email: 'cost.buyer@example.com', first_name: 'Bob', last_name: 'Norman' };

let seq = 0;
const shopify = (topic: string, payload: unknown): WebhookEnvelope => {
  seq += 1;
  return shopifyEnvelope(topic, JSON.stringify(payload), {
    shop: SHOP,
    deliveryId: `wh-cost-${seq}`,
    eventId: `ev-cost-${seq}`,
    triggeredAt: `2026-11-28T09:${String(seq).padStart(2, '0')}:00.000Z`,
  });
};

const order = (id: number) => ({
  ...shopifySampleObject('orders-create.json'),
  // A real order: the sample is a test order, which rollups leave out by default.
  test: false,
  id,
  email: CUSTOMER.email,
  customer: { ...(shopifySampleObject('orders-create.json').customer as object), ...CUSTOMER },
});

describe("deliver's DynamoDB requests per identify (dynalite, real stages, local Customer.io capture)", () => {
  let table: TestTable;
  let deps: ProcessDeps;
  let outbox: MemoryQueue;
  let calls: ReturnType<typeof countDynamoCalls>;
  const cio = useTrackCapture();

  beforeAll(async () => {
    table = await startTestTable();
    ({ deps, outbox } = realProcessDeps(table));
    calls = countDynamoCalls(table.client);
  });
  afterAll(async () => table.close());

  /** Processes one webhook, then delivers what it queued as one batch: deliver's DynamoDB requests and identifies. */
  const deliverOne = async (envelope: WebhookEnvelope) => {
    const start = outbox.sent.length;
    expect(await processInboxMessage(JSON.stringify(envelope), deps)).toBe('processed');
    const records: OutboxRecord[] = outbox.sent
      .slice(start)
      .map((message, i) => ({ messageId: `m${start + i}`, body: message.body }));
    const messages = records.map((record) => JSON.parse(record.body) as OutboxMessage);
    const identifies = messages.filter((m) => m.type === 'identify');
    let failed = new Map<string, unknown>();
    const used = await calls.during(async () => {
      failed = await deliverOutboxRecords(records, {
        track: cio.track,
        eventNames: {},
        clock: () => new Date(),
        telemetry: testTelemetry(),
        order: {
          store: new DynamoDeliveryOrderStore(table.client, table.tableName, () => new Date()),
          inFlightMs: 90_000,
        },
      });
    });
    expect([...failed.keys()]).toEqual([]);
    return {
      identifies: identifies.length,
      ordered: new Set(
        identifies.flatMap((m) => (m.ordering ? [`${m.ordering.kind}#${m.ordering.key}`] : [])),
      ).size,
      dynamo: used.byCommand,
    };
  };

  it('two UpdateItems per person key an identify orders (claim, then release), none for events', async () => {
    // Act: the webhooks of the typical mix that send identifies, in the order a customer causes them.
    const checkout = await deliverOne(
      shopify('checkouts/create', {
        ...shopifySampleObject('checkouts-create.json'),
        email: CUSTOMER.email,
        customer: CUSTOMER,
      }),
    );
    const checkoutUpdated = await deliverOne(
      shopify('checkouts/update', {
        ...shopifySampleObject('checkouts-update.json'),
        email: CUSTOMER.email,
        customer: CUSTOMER,
        // Typed a minute later: the same time would be the same update, deduplicated.
        updated_at: '2021-12-31T19:01:00-05:00',
      }),
    );
    const created = await deliverOne(shopify('orders/create', order(450789469)));
    const paid = await deliverOne(shopify('orders/paid', order(450789469)));
    const orderUpdated = await deliverOne(
      shopify('orders/updated', { ...order(450789469), updated_at: '2022-01-02T10:00:00-05:00' }),
    );
    const fulfilled = await deliverOne(
      shopify('orders/fulfilled', { ...order(450789469), updated_at: '2022-01-03T10:00:00-05:00' }),
    );
    const refunded = await deliverOne(
      shopify('refunds/create', { ...shopifySampleObject('refunds-create.json'), order_id: 450789469 }),
    );
    const updated = await deliverOne(
      shopify('customers/update', { ...shopifySampleObject('customers-update.json'), ...CUSTOMER }),
    );
    const review = await deliverOne(
      reviewEnvelope(
        'judgeme',
        'review/created',
        SHOP,
        JSON.stringify({
          ...(JSON.parse(readReviewSample('judgeme', 'review-created.json')) as Record<string, unknown>),
          reviewer: { email: CUSTOMER.email, name: 'Bob' },
        }),
      ),
    );
    const cart = await deliverOne(shopify('carts/update', shopifySampleObject('carts-update.json')));

    // Assess: measured counts, quoted in docs/deploy.md §11.
    // checkouts/create: the shopper's identify (attributes).
    expect(checkout).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    // orders/create: the customer's identify (attributes) and the rollup identify.
    expect(created).toEqual({ identifies: 2, ordered: 2, dynamo: { UpdateItemCommand: 4 } });
    // checkouts/update: the shopper's identify again.
    expect(checkoutUpdated).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    // orders/paid after orders/create: its event and rollup are orders/create's (they go out with that delivery's
    // event), but the buyer's identify is restated, identical, at the same versions (identifies carry no claim).
    expect(paid).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    // orders/updated: the customer's identify as the order now states them.
    expect(orderUpdated).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    expect(fulfilled).toEqual({ identifies: 0, ordered: 0, dynamo: {} });
    // refunds/create: the rollup identify (the refund names no customer: the order's owner is filled in).
    expect(refunded).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    // customers/update: the customer's identify.
    expect(updated).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    // A review: the rollup identify (last rating), addressed to the buyer.
    expect(review).toEqual({ identifies: 1, ordered: 1, dynamo: { UpdateItemCommand: 2 } });
    // A cart update sends no identify: deliver touches no table.
    expect(cart).toEqual({ identifies: 0, ordered: 0, dynamo: {} });
  });

  it('an identify older than one sent costs one conditional UpdateItem and sends nothing', async () => {
    // Prepare
    const store = new DynamoDeliveryOrderStore(table.client, table.tableName, () => new Date());
    const key = { kind: 'rollup' as const, key: `${SHOP}#id:stale` };
    await store.claim(key, { rollup: 5 });

    // Act
    const used = await calls.during(() => store.claim(key, { rollup: 4 }, true));

    // Assess: DynamoDB returns the item with the failed condition; dynalite does not, so the store reads it.
    expect(used.byCommand.UpdateItemCommand).toBe(1);
    expect(used.byCommand.GetItemCommand ?? 0).toBeLessThanOrEqual(1);
  });
});
