import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_SINCE, seedDemoShop } from '../../local/fake-shop/demo-seed.js';
import { fakeCustomer, fakeLine, fakeOrder } from '../../local/fake-shop/fake-data.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import type { Fetch } from '../../shared/admin-api/http.js';
import { customerWebhookBody, orderWebhookBody } from '../../shared/admin-api/shopify/webhook-shapes.js';
import { LeaseBusyError } from '../../shared/backfill/lease.js';
import type { RunStateStore } from '../../shared/backfill/run-state-store.js';
import { rollupAttributes } from '../../shared/people/rollup.js';
import { DynamoRollupStore } from '../../shared/people/rollup-store.js';
import { SHOPIFY_TOPICS } from '../../shared/reconcile/webhook-check.js';
import { waitForQuiet } from '../helpers/local-stack-quiet.js';
import { type SyncHarness, startSyncHarness } from '../helpers/sync-harness.js';

/**
 * The most complete rollup identify each Customer.io person got, by identifier (`id:101`, `email:a@b`): the one
 * sent after the last event applied to that person. (Rollup identifies of one person sent close together may reach
 * Customer.io out of order; the connector stamps each with its time, which Customer.io orders by.)
 */
const lastRollups = (operations: Record<string, unknown>[]) => {
  const latest = new Map<string, Record<string, unknown>>();
  const weight = (a: Record<string, unknown>) =>
    Number(a.orders_count ?? 0) * 1e6 +
    Number(a.active_subscriptions ?? 0) * 1e3 +
    ('last_review_rating' in a ? 1 : 0);
  for (const op of operations) {
    const attributes = op.attributes as Record<string, unknown> | undefined;
    const [kind, value] =
      Object.entries((op.identifiers as Record<string, string> | undefined) ?? {})[0] ?? [];
    if (op.action !== 'identify' || !kind || !attributes || !('orders_count' in attributes)) continue;
    const known = latest.get(`${kind}:${value}`);
    if (!known || weight(attributes) >= weight(known)) latest.set(`${kind}:${value}`, attributes);
  }
  return latest;
};

/** A person's rollup as the table keeps it (the source of every rollup identify). */
const storedRollup = async (harness: SyncHarness, customerId: string) =>
  rollupAttributes(
    (
      await new DynamoRollupStore(harness.stack.dynamo, harness.stack.tableName).read(
        `${harness.shop}#id:${customerId}`,
      )
    ).state,
  );

describe('backfill on the local stack against a fake shop (127.0.0.1)', () => {
  let harness: SyncHarness;
  beforeAll(async () => {
    harness = await startSyncHarness();
    seedDemoShop(harness.fake);
  });
  afterAll(async () => harness?.stop());

  it('turns history into person attributes and rollups without a single event, and a second run changes nothing', async () => {
    const capture = harness.stack.capture;
    if (!capture) throw new Error('expected the local capture');

    const first = await harness.backfill({ since: new Date(DEMO_SINCE), events: false, mode: 'bulk' });
    await waitForQuiet(harness.stack);
    const afterFirst = capture.operations();

    expect(afterFirst.filter((op) => op.action === 'event')).toEqual([]);
    const rollups = lastRollups(afterFirst);
    const ada = {
      orders_count: 2,
      total_spent: 75,
      average_order_value: 37.5,
      last_order_value: 20,
      first_order_at: Date.parse('2025-03-01T10:00:00Z') / 1000,
      last_order_at: Date.parse('2025-06-01T10:00:00Z') / 1000,
      top_categories: 'Coffee,Tea',
      active_subscriptions: 1,
    };
    expect(rollups.get(`id:${DEMO_PEOPLE.ada}`)).toMatchObject(ada);
    expect(await storedRollup(harness, String(DEMO_PEOPLE.ada))).toMatchObject(ada);
    expect(rollups.get(`id:${DEMO_PEOPLE.grace}`)).toMatchObject({
      orders_count: 1,
      total_spent: 85,
      // The cancelled order's Equipment counts only when its creation is processed before its cancellation (the
      // rollup never subtracts categories): the inbox has no order, so either may come first.
      top_categories: expect.stringMatching(/^Tea(,Equipment)?$/),
    });
    // Reviews name their reviewer by email only: the rollup stage keeps (and sends) their rating under the email.
    expect(rollups.get('email:ada@example.com')).toMatchObject({ last_review_rating: 5 });
    expect(rollups.get('email:grace@example.com')).toMatchObject({ last_review_rating: 4 });
    expect(rollups.has(`id:${DEMO_PEOPLE.linus}`)).toBe(false);
    const linus = afterFirst.find(
      (op) =>
        op.action === 'identify' && (op.identifiers as { id?: string }).id === String(DEMO_PEOPLE.linus),
    );
    expect(linus?.attributes).toMatchObject({
      email: 'linus@example.com',
      unsubscribed: true,
      email_marketing_state: 'unsubscribed',
    });
    expect(first.totals).toMatchObject({ read: 15, queued: 15, known: 0, unreadable: 0 });

    const second = await harness.backfill({ since: new Date(DEMO_SINCE), events: false, mode: 'bulk' });
    await waitForQuiet(harness.stack);

    expect(second.totals).toMatchObject({ read: 15, queued: 0, known: 15 });
    expect(capture.operations()).toHaveLength(afterFirst.length);
  });

  it('lets a backfill race live webhooks for the same orders and still sends one Order Completed per order', async () => {
    const capture = harness.stack.capture;
    if (!capture) throw new Error('expected the local capture');
    const buyer = fakeCustomer({ id: 201, email: 'race@example.com', updatedAt: '2026-01-02T00:00:00Z' });
    const orders = [7001, 7002, 7003, 7004, 7005].map((id, i) =>
      fakeOrder({
        id,
        customer: buyer,
        lines: [fakeLine(id, 10 + i)],
        createdAt: `2026-01-0${i + 2}T10:00:00Z`,
      }),
    );
    harness.fake.shopify.customers.push(buyer);
    harness.fake.shopify.orders.push(...orders);
    const before = capture.operations().length;

    const [summary] = await Promise.all([
      harness.backfill({ since: new Date('2026-01-01'), events: true, mode: 'pages' }),
      ...orders.map((o, i) =>
        postShopifyWebhook(
          harness.stack.apiUrl,
          JSON.stringify(orderWebhookBody({ ...o.order, lineItems: o.lines })),
          {
            topic: 'orders/create',
            webhookId: `race-live-${i}`,
          },
        ),
      ),
    ]);
    await waitForQuiet(harness.stack);

    const completed = capture
      .operations()
      .slice(before)
      .filter((op) => op.action === 'event' && op.name === 'Order Completed')
      .map((op) => (op.attributes as { order_id: string }).order_id)
      .sort();
    expect(completed).toEqual(['7001', '7002', '7003', '7004', '7005']);
    expect(summary.totals.read).toBe(6);
    const rollup = lastRollups(capture.operations()).get('id:201');
    expect(rollup).toMatchObject({ orders_count: 5, total_spent: 60 });
  });

  it('finds a dropped orders/create, delivers it once, and re-creates a removed webhook subscription', async () => {
    const capture = harness.stack.capture;
    if (!capture) throw new Error('expected the local capture');
    const now = Date.now();
    const recent = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
    const buyer = fakeCustomer({ id: 301, email: 'dropped@example.com', updatedAt: recent(9) });
    const delivered = fakeOrder({
      id: 8001,
      customer: buyer,
      lines: [fakeLine(81, 20)],
      createdAt: recent(8),
    });
    const dropped = fakeOrder({ id: 8002, customer: buyer, lines: [fakeLine(82, 30)], createdAt: recent(7) });
    harness.fake.shopify.customers.push(buyer);
    harness.fake.shopify.orders.push(delivered, dropped);
    const callback = `${harness.stack.apiUrl}/webhooks/shopify`;
    harness.fake.shopify.subscribeAll(SHOPIFY_TOPICS, callback);
    harness.fake.shopify.removeSubscription('orders/create');
    const live = (topic: string, body: unknown, id: string) =>
      postShopifyWebhook(harness.stack.apiUrl, JSON.stringify(body), { topic, webhookId: id });
    await live('customers/update', customerWebhookBody(buyer), 'live-customer-301');
    await live(
      'orders/create',
      orderWebhookBody({ ...delivered.order, lineItems: delivered.lines }),
      'live-8001',
    );
    await waitForQuiet(harness.stack);
    const before = capture.operations().length;

    const first = await harness.reconcile({
      initialLookbackMinutes: 30,
      webhooks: { shopify: { mode: 'recreate', url: callback }, recharge: { mode: 'off' } },
    });
    await waitForQuiet(harness.stack);
    const second = await harness.reconcile({ initialLookbackMinutes: 30 });
    await waitForQuiet(harness.stack);

    expect(first.missing).toEqual({ 'orders/create': 1 });
    expect(first.webhooks.shopify).toEqual({ missing: [], recreated: ['orders/create'] });
    expect(second.missing).toEqual({});
    const events = capture
      .operations()
      .slice(before)
      .filter((op) => op.action === 'event');
    expect(events.map((op) => [op.name, (op.attributes as { order_id: string }).order_id])).toEqual([
      ['Order Completed', '8002'],
    ]);
    expect(events[0]).not.toHaveProperty('attributes.backfill');
    expect(lastRollups(capture.operations()).get('id:301')).toMatchObject({
      orders_count: 2,
      total_spent: 50,
    });
  });

  it('resumes a backfill whose process died mid-run, and never lets a second run send at the same time', async () => {
    const capture = harness.stack.capture;
    if (!capture) throw new Error('expected the local capture');
    const buyer = fakeCustomer({ id: 401, email: 'resume@example.com', updatedAt: '2026-02-01T00:00:00Z' });
    const orders = Array.from({ length: 23 }, (_, i) =>
      fakeOrder({
        id: 9000 + i,
        customer: buyer,
        lines: [fakeLine(900 + i, 10)],
        createdAt: new Date(Date.UTC(2026, 1, 2, i)).toISOString(),
      }),
    );
    harness.fake.shopify.customers.push(buyer);
    harness.fake.shopify.orders.push(...orders);
    // A killed process never gives its lease back.
    const killed = (store: RunStateStore): RunStateStore => ({
      acquire: (...args) => store.acquire(...args),
      renew: (...args) => store.renew(...args),
      release: async () => undefined,
      read: (name) => store.read(name),
      write: (...args) => store.write(...args),
    });
    let ordersPages = 0;
    // From the third orders page on, every call fails: the run stops there, as a dying process would.
    const dieOnThirdOrdersPage =
      (real: Fetch): Fetch =>
      async (url: string, init?: RequestInit) => {
        if (String(init?.body ?? '').includes('orders(first')) ordersPages += 1;
        if (ordersPages >= 3) throw new Error('simulated crash: the process died');
        return real(url, init);
      };
    const request = { since: new Date('2026-02-01'), events: false, mode: 'pages' } as const;

    await expect(
      harness.backfill(request, { state: killed, leaseTtlMs: 1_500, fetch: dieOnThirdOrdersPage }),
    ).rejects.toThrow('network error');
    await expect(harness.backfill(request)).rejects.toBeInstanceOf(LeaseBusyError);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const resumed = await harness.backfill(request);
    await waitForQuiet(harness.stack);

    expect(resumed.resumed).toBe(true);
    // Two pages of five orders were fed before the crash, the resumed run fed the rest: each of the 23 once (the
    // orders of the reconciliation scenario, updated today, are read too and skipped as known).
    const fed = resumed.streams['shopify-orders']?.counts;
    expect(fed?.queued).toBe(23);
    expect(fed ? fed.read - fed.known : 0).toBe(23);
    expect(lastRollups(capture.operations()).get('id:401')).toMatchObject({
      orders_count: 23,
      total_spent: 230,
    });
  });
});
