import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCustomer, fakeLine, fakeOrder } from '../../../local/fake-shop/fake-data.js';
import { type FakeShop, startFakeShop } from '../../../local/fake-shop/fake-shop-server.js';
import { AdminSecretsSchema } from '../../../shared/config/admin-secrets.js';
import { DynamoDedupeStore } from '../../../shared/dedupe/dynamo-dedupe-store.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { processInboxMessage } from '../../../shared/process/process-envelope.js';
import { RECONCILED_TOPICS, runReconcile, topicMetric } from '../../../shared/reconcile/reconcile-run.js';
import { wireSync } from '../../../shared/runtime/wire-sync.js';
import { startTestTable, type TestTable } from '../../helpers/dynalite.js';
import { MemoryQueue, testTelemetry } from '../../helpers/fakes.js';

const SHOP = 'window.myshopify.com';
const MINUTE = 60_000;

describe('runReconcile (dynalite and a fake shop on 127.0.0.1)', () => {
  let table: TestTable;
  let shop: FakeShop;
  let now = Date.parse('2026-06-01T12:00:00Z');
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE).toISOString();
  beforeAll(async () => {
    [table, shop] = await Promise.all([startTestTable(), startFakeShop({ shop: SHOP })]);
  });
  afterAll(async () => {
    await Promise.all([table?.close(), shop?.stop()]);
  });

  const run = (inbox = new MemoryQueue()) => {
    const telemetry = testTelemetry();
    const secrets = AdminSecretsSchema.parse(shop.adminSecrets).shops[SHOP];
    if (!secrets) throw new Error('no secrets');
    const clock = () => new Date(now);
    const wired = wireSync({
      shop: SHOP,
      secrets: { shopify: secrets.shopify },
      shopifyApiVersion: '2026-07',
      rechargeApiVersion: '2021-11',
      urls: { shopify: shop.url },
      inbox,
      dynamo: table.client,
      tableName: table.tableName,
      clock,
    });
    const request = {
      shop: SHOP,
      overlapMinutes: 15,
      initialLookbackMinutes: 60,
      webhooks: { shopify: { mode: 'off' as const }, recharge: { mode: 'off' as const } },
    };
    return {
      telemetry,
      inbox,
      result: runReconcile(request, { ...wired, clock, holder: 'test', telemetry }),
    };
  };

  it('feeds only what happened in its window: a refund today of an order from two months ago is the refund alone', async () => {
    const buyer = fakeCustomer({ id: 3, email: 'w@example.com', updatedAt: at(24 * 60 * 60) });
    shop.shopify.orders = [
      fakeOrder({
        id: 31,
        customer: buyer,
        lines: [fakeLine(1, 50)],
        createdAt: at(60 * 24 * 60),
        refunds: [{ id: 311, amount: 5, createdAt: at(10) }],
      }),
    ];

    const { result, telemetry, inbox } = run();
    const summary = await result;

    expect(summary.missing).toEqual({ 'refunds/create': 1 });
    expect(summary.counts).toMatchObject({ read: 2, queued: 1, outOfWindow: 1 });
    expect(summary.since).toBe(at(75));
    expect(inbox.json<{ topic: string }>().map((e) => e.topic)).toEqual(['refunds/create']);
    // The process worker takes it from the inbox (its claims are what the next run finds).
    for (const message of inbox.sent) {
      await processInboxMessage(message.body, {
        dedupe: new DynamoDedupeStore(table.client, {
          tableName: table.tableName,
          leaseSeconds: 60,
          retentionDays: 30,
        }),
        outbox: new MemoryQueue(),
        normalizers: normalizerRegistry,
        stages: [],
        identity: { strategy: 'customer_id', customerIdPrefix: '' },
        clock: () => new Date(now),
        telemetry: testTelemetry(),
      });
    }
    expect(
      [...telemetry.counters.values.keys()].filter((name) => name.startsWith('ReconciledMissing_')),
    ).toEqual(['ReconciledMissing_refunds_create']);
  });

  it('starts the next run at the last one’s start, minus the overlap, and finds nothing twice', async () => {
    const started = now;
    now += 60 * MINUTE;

    const { result } = run();
    const summary = await result;

    expect(summary.since).toBe(new Date(started - 15 * MINUTE).toISOString());
    expect(summary.counts.queued).toBe(0);
  });

  it('does nothing while another run of the shop holds its lease', async () => {
    const first = run();
    const second = run();

    const [a, b] = await Promise.all([first.result, second.result]);

    expect([a.skipped, b.skipped].filter(Boolean)).toEqual(['lease_held']);
    expect(
      first.telemetry.counters.get('ReconcileSkipped') + second.telemetry.counters.get('ReconcileSkipped'),
    ).toBe(1);
  });

  it('names its metrics from a fixed list of topics', () => {
    expect(RECONCILED_TOPICS.map(topicMetric)).toEqual([
      'orders_create',
      'orders_cancelled',
      'orders_fulfilled',
      'refunds_create',
      'customers_update',
      'checkouts_update',
      'subscription_created',
      'subscription_cancelled',
      'charge_paid',
    ]);
  });
});
