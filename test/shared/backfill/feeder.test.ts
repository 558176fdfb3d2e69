import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSeenRecords } from '../../../shared/backfill/dynamo-seen-records.js';
import { emptyCounts, type FeedDeps, feedRecords } from '../../../shared/backfill/feeder.js';
import type { SourceRecord } from '../../../shared/backfill/source-record.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { WebhookEnvelopeSchema } from '../../../shared/ingest/envelope.js';
import { tryDecodeInboxMessage } from '../../../shared/ingest/inbox-message.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { DynamoPersonVersionStore } from '../../../shared/people/person-version-store.js';
import { statedVersions } from '../../../shared/people/stale-update-stage.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue } from '../../helpers/fakes.js';
import { shopifySampleObject } from '../../helpers/shopify-envelope.js';

const SHOP = 'feed.myshopify.com';
const NOW = new Date('2026-11-28T10:00:00Z');
const ORDER = shopifySampleObject('orders-create.json');
/** The envelope fields a normalizer reads, for a live delivery of this shop. */
const ENVELOPE = {
  version: 1 as const,
  source: 'shopify' as const,
  topic: 'orders/create',
  shop: SHOP,
  deliveryId: 'live',
  receivedAt: NOW.toISOString(),
  signed: true,
  body: '',
};

const orderRecord = (id: string, occurredAt = '2026-11-28T09:00:00.000Z'): SourceRecord => ({
  source: 'shopify',
  topic: 'orders/create',
  id,
  occurredAt,
  body: { ...ORDER, id },
});

describe('feedRecords (dynalite on 127.0.0.1)', () => {
  let table: TestTable;
  beforeAll(async () => {
    table = await startTestTable();
  });
  afterAll(async () => table?.close());

  const setup = () => {
    const inbox = new MemoryQueue();
    const deps: FeedDeps = {
      inbox,
      seen: new DynamoSeenRecords(table.client, table.tableName),
      normalizers: normalizerRegistry,
      clock: () => NOW,
      apiVersion: () => '2026-07',
    };
    return { inbox, deps };
  };
  const complete = async (key: string) => {
    const store = new DynamoDedupeStore(table.client, {
      tableName: table.tableName,
      leaseSeconds: 60,
      retentionDays: 30,
    });
    const claim = await store.claim(key, NOW);
    if (claim.status === 'claimed') await store.complete(key, claim.token, NOW);
  };

  it('queues a never-seen record as a backfill envelope whose body is the webhook body', async () => {
    const { inbox, deps } = setup();
    const counts = emptyCounts();

    await feedRecords(
      [orderRecord('1001')],
      SHOP,
      { origin: 'backfill', backfillEvents: false },
      deps,
      counts,
    );

    // Queued as ingest queues a webhook (tryDecodeInboxMessage reads it like the process worker).
    const envelope = WebhookEnvelopeSchema.parse(tryDecodeInboxMessage(inbox.sent[0]?.body ?? '{}'));
    expect(envelope).toMatchObject({
      source: 'shopify',
      topic: 'orders/create',
      shop: SHOP,
      deliveryId: 'backfill:attrs:orders/create:1001',
      origin: 'backfill',
      backfillEvents: false,
      signed: true,
      apiVersion: '2026-07',
    });
    expect(parseJsonLossless(envelope.body)).toMatchObject({ id: '1001' });
    // The body travels embedded as JSON, not escaped into a string.
    expect(inbox.sent[0]?.body).toContain(',"body":{');
    expect(counts).toMatchObject({ read: 1, queued: 1, known: 0 });
  });

  it('skips a record whose business key a webhook completed, and one an earlier run delivered', async () => {
    const { inbox, deps } = setup();
    const counts = emptyCounts();
    await complete(`order-completed#${SHOP}#2001`);
    await complete(`delivery#shopify#${SHOP}#backfill:attrs:orders/create:2002`);

    await feedRecords(
      [orderRecord('2001'), orderRecord('2002'), orderRecord('2003')],
      SHOP,
      { origin: 'backfill', backfillEvents: false },
      deps,
      counts,
    );

    expect(inbox.json<{ deliveryId: string }>().map((e) => e.deliveryId)).toEqual([
      'backfill:attrs:orders/create:2003',
    ]);
    expect(counts).toMatchObject({ read: 3, queued: 1, known: 2 });
  });

  it('skips a record whose event a live delivery owns (one ownership write, no completion)', async () => {
    const { inbox, deps } = setup();
    const counts = emptyCounts();
    const store = new DynamoDedupeStore(table.client, {
      tableName: table.tableName,
      leaseSeconds: 60,
      retentionDays: 30,
    });
    // The live webhook's delivery, working under its claim, owns the event: it is sending it now.
    expect((await store.claim(`delivery#shopify#${SHOP}#live-2101`, NOW)).status).toBe('claimed');
    expect(await store.own(`order-completed#${SHOP}#2101`, `delivery#shopify#${SHOP}#live-2101`, NOW)).toBe(
      true,
    );

    await feedRecords(
      [orderRecord('2101'), orderRecord('2102')],
      SHOP,
      { origin: 'reconcile', since: new Date(0) },
      deps,
      counts,
    );

    expect(inbox.json<{ deliveryId: string }>().map((e) => e.deliveryId)).toEqual([
      'reconcile:orders/create:2102',
    ]);
    expect(counts).toMatchObject({ read: 2, queued: 1, known: 1 });
  });

  it('skips a record with no event whose attribute times the stale-update stage recorded (or newer ones)', async () => {
    const { inbox, deps } = setup();
    const counts = emptyCounts();
    const customer = (id: number, updatedAt: string): SourceRecord => ({
      source: 'shopify',
      topic: 'customers/update',
      id: String(id),
      occurredAt: updatedAt,
      body: { ...shopifySampleObject('customers-update.json'), id, updated_at: updatedAt },
    });
    const versions = new DynamoPersonVersionStore(table.client, table.tableName);
    // The live customers/update of 8101 went through the process worker's stale-update stage.
    const live = normalizerRegistry.shopify?.['customers/update']?.(
      customer(8101, '2026-11-28T09:00:00.000Z').body,
      { ...ENVELOPE, topic: 'customers/update' },
    );
    if (live?.kind !== 'normalized') throw new Error('the sample customer does not normalize');
    const stated = statedVersions(live);
    expect(stated.length).toBeGreaterThan(0);
    for (const { key, versions: times } of stated) await versions.advance(key, times);

    await feedRecords(
      [
        // The same update: every attribute time recorded.
        customer(8101, '2026-11-28T09:00:00.000Z'),
        // An older state of the same customer: a newer one went through.
        customer(8101, '2026-11-28T08:00:00.000Z'),
        // A newer update of the same customer: its webhook went missing.
        customer(8101, '2026-11-28T09:30:00.000Z'),
        // A customer the path never saw.
        customer(8102, '2026-11-28T09:00:00.000Z'),
      ],
      SHOP,
      { origin: 'reconcile', since: new Date(0) },
      deps,
      counts,
    );

    expect(
      inbox
        .json<{ deliveryId: string }>()
        .map((e) => e.deliveryId)
        .sort(),
    ).toEqual(['reconcile:customers/update:8101', 'reconcile:customers/update:8102']);
    expect(counts).toMatchObject({ read: 4, queued: 2, known: 2 });
  });

  it('does not count a claim still in progress, or one past its retention, as known', async () => {
    const { inbox, deps } = setup();
    const store = new DynamoDedupeStore(table.client, {
      tableName: table.tableName,
      leaseSeconds: 60,
      retentionDays: 30,
    });
    await store.claim(`order-completed#${SHOP}#3001`, NOW);
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: {
          pk: { S: `order-completed#${SHOP}#3002` },
          sk: { S: 'dedupe' },
          status: { S: 'COMPLETED' },
          expiresAt: { N: String(NOW.getTime() / 1000 - 60) },
        },
      }),
    );

    await feedRecords(
      [orderRecord('3001'), orderRecord('3002')],
      SHOP,
      { origin: 'backfill', backfillEvents: false },
      deps,
      emptyCounts(),
    );

    expect(inbox.sent).toHaveLength(2);
  });

  it('reconciles only what happened in its window, and names the record by its own delivery id', async () => {
    const { inbox, deps } = setup();
    const counts = emptyCounts();
    const since = new Date('2026-11-28T08:00:00Z');

    const fed = await feedRecords(
      [orderRecord('4001', '2026-11-28T08:30:00.000Z'), orderRecord('4002', '2026-10-01T00:00:00.000Z')],
      SHOP,
      { origin: 'reconcile', since },
      deps,
      counts,
    );

    expect(fed.queued.map((r) => r.id)).toEqual(['4001']);
    expect(inbox.json<{ deliveryId: string; origin: string }>()).toMatchObject([
      { deliveryId: 'reconcile:orders/create:4001', origin: 'reconcile' },
    ]);
    expect(counts).toMatchObject({ read: 2, queued: 1, outOfWindow: 1 });
  });

  it('skips a checkout whose cart the connector already keeps', async () => {
    const { inbox, deps } = setup();
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: { pk: { S: `cart#${SHOP}#seen-cart` }, sk: { S: 'cart' } },
      }),
    );
    const checkout = (cart: string): SourceRecord => ({
      source: 'shopify',
      topic: 'checkouts/update',
      id: cart,
      occurredAt: NOW.toISOString(),
      body: {},
      seenAs: { pk: `cart#${SHOP}#${cart}`, sk: 'cart' },
    });

    await feedRecords(
      [checkout('seen-cart'), checkout('new-cart')],
      SHOP,
      { origin: 'reconcile', since: new Date(0) },
      deps,
      emptyCounts(),
    );

    expect(inbox.json<{ deliveryId: string }>().map((e) => e.deliveryId)).toEqual([
      'reconcile:checkouts/update:new-cart',
    ]);
  });

  it('does not queue a record larger than one SQS message, and says so', async () => {
    const { inbox, deps } = setup();
    const counts = emptyCounts();
    const huge = { ...orderRecord('5001'), body: { ...ORDER, id: '5001', note: 'x'.repeat(1_100_000) } };

    const fed = await feedRecords([huge], SHOP, { origin: 'backfill', backfillEvents: true }, deps, counts);

    expect(inbox.sent).toHaveLength(0);
    expect(counts.tooLarge).toBe(1);
    expect(fed.unreadable).toEqual([
      {
        source: 'shopify',
        resource: 'orders/create',
        id: '5001',
        reason: 'larger than one SQS message (1 MiB)',
      },
    ]);
  });
});
