import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCustomer, fakeLine, fakeOrder } from '../../../../local/fake-shop/fake-data.js';
import { type FakeShop, startFakeShop } from '../../../../local/fake-shop/fake-shop-server.js';
import { ShopifyAdminClient } from '../../../../shared/admin-api/shopify/admin-graphql-client.js';
import {
  type ReadBatch,
  type ReadPosition,
  readShopifyResource,
} from '../../../../shared/admin-api/shopify/shopify-reader.js';
import { type VirtualTime, virtualTime } from '../../../helpers/virtual-time.js';

const SHOP = 'reader-test.myshopify.com';

describe('reading Shopify resources (fake Admin API on 127.0.0.1)', () => {
  let shop: FakeShop;
  let time: VirtualTime;
  beforeEach(async () => {
    time = virtualTime();
    shop = await startFakeShop({ shop: SHOP, now: time.now, bulkPolls: 2 });
    const buyer = fakeCustomer({ id: 1, email: 'b@example.com', updatedAt: '2026-01-01T00:00:00Z' });
    shop.shopify.customers = [buyer];
    shop.shopify.orders = Array.from({ length: 12 }, (_, i) =>
      fakeOrder({
        id: 100 + i,
        customer: buyer,
        // Order 105 has 45 lines: more than a page carries per order.
        lines: Array.from({ length: i === 5 ? 45 : 2 }, (_, l) => fakeLine(1000 * i + l, 5)),
        createdAt: new Date(Date.UTC(2026, 0, 2 + i)).toISOString(),
      }),
    );
  });
  afterEach(async () => shop?.stop());

  const client = () =>
    new ShopifyAdminClient({
      shop: SHOP,
      accessToken: shop.tokens.shopify,
      apiVersion: '2026-07',
      baseUrl: shop.url,
      sleep: time.sleep,
      now: time.now,
    });
  const readAll = async (batches: AsyncIterable<ReadBatch>) => {
    const seen: ReadBatch[] = [];
    for await (const batch of batches) seen.push(batch);
    return seen;
  };
  const since = new Date('2026-01-05T00:00:00Z');
  const http = (url: string, init?: RequestInit) => fetch(url, init);

  it('pages through every order updated since the date, with every line of an order that has more than a page carries', async () => {
    const c = client();

    const batches = await readAll(
      readShopifyResource(c, 'orders', { since, fetch: http, sleep: time.sleep, mode: 'pages', pageSize: 4 }),
    );

    const nodes = batches.flatMap((b) => b.nodes);
    expect(nodes.map((n) => n.node.id)).toEqual(
      [103, 104, 105, 106, 107, 108, 109, 110, 111].map((id) => `gid://shopify/Order/${id}`),
    );
    expect(nodes.find((n) => n.node.id === 'gid://shopify/Order/105')?.lines).toHaveLength(45);
    expect(batches.map((b) => b.nodes.length)).toEqual([4, 4, 1]);
    // Three pages and one follow-up for the long order's other 25 lines.
    expect(c.stats.calls).toBe(4);
    expect(batches.at(-1)?.next).toMatchObject({ mode: 'pages' });
  });

  it('continues a paged read from a saved cursor without reading the first pages again', async () => {
    const c = client();
    const [first] = await readAll(
      readShopifyResource(c, 'orders', { since, fetch: http, sleep: time.sleep, mode: 'pages', pageSize: 4 }),
    );
    const from = first?.next;

    const rest = await readAll(
      readShopifyResource(client(), 'orders', {
        since,
        fetch: http,
        sleep: time.sleep,
        mode: 'pages',
        pageSize: 4,
        ...(from ? { from } : {}),
      }),
    );

    expect(rest.flatMap((b) => b.nodes).map((n) => n.node.id)[0]).toBe('gid://shopify/Order/107');
  });

  it('runs a bulk operation through CREATED, RUNNING and COMPLETED and reads its JSONL with lines under their order', async () => {
    const c = client();

    const batches = await readAll(
      readShopifyResource(c, 'orders', { since, fetch: http, sleep: time.sleep, mode: 'bulk', bulkBatch: 5 }),
    );

    expect(batches[0]).toMatchObject({ nodes: [], next: { mode: 'bulk', rootsDone: 0 } });
    const nodes = batches.flatMap((b) => b.nodes);
    expect(nodes).toHaveLength(9);
    expect(nodes.find((n) => n.node.id === 'gid://shopify/Order/105')?.lines).toHaveLength(45);
    expect(batches.at(-1)?.next).toMatchObject({ mode: 'bulk', rootsDone: 9 });
    // One mutation and three polls (RUNNING, RUNNING, COMPLETED); the file comes from its URL.
    expect(shop.shopify.calls.map((call) => call.operation)).toEqual(['RunBulk', 'Bulk', 'Bulk', 'Bulk']);
  });

  it('resumes a bulk read in the same operation, skipping the roots already handed on', async () => {
    const batches = await readAll(
      readShopifyResource(client(), 'orders', {
        since,
        fetch: http,
        sleep: time.sleep,
        mode: 'bulk',
        bulkBatch: 5,
      }),
    );
    const started = batches[0]?.next as Extract<ReadPosition, { mode: 'bulk' }>;
    const from: ReadPosition = { ...started, rootsDone: 5 };

    const resumed = await readAll(
      readShopifyResource(client(), 'orders', { since, fetch: http, sleep: time.sleep, mode: 'bulk', from }),
    );

    expect(resumed.flatMap((b) => b.nodes).map((n) => n.node.id)).toEqual(
      [108, 109, 110, 111].map((id) => `gid://shopify/Order/${id}`),
    );
    expect(shop.shopify.calls.filter((call) => call.operation === 'RunBulk')).toHaveLength(1);
  });

  it('starts a new bulk operation when the saved one is unknown to Shopify', async () => {
    const from: ReadPosition = {
      mode: 'bulk',
      bulkOperationId: 'gid://shopify/BulkOperation/999',
      rootsDone: 3,
    };

    const batches = await readAll(
      readShopifyResource(client(), 'orders', { since, fetch: http, sleep: time.sleep, mode: 'bulk', from }),
    );

    expect(batches.flatMap((b) => b.nodes)).toHaveLength(9);
  });
});
