import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { fakeCustomer } from '../../../../local/fake-shop/fake-data.js';
import { type FakeShop, startFakeShop } from '../../../../local/fake-shop/fake-shop-server.js';
import { AdminApiAuthError, AdminApiRequestError } from '../../../../shared/admin-api/http.js';
import { ShopifyAdminClient } from '../../../../shared/admin-api/shopify/admin-graphql-client.js';
import { pageQuery, RESOURCES } from '../../../../shared/admin-api/shopify/queries.js';
import { type VirtualTime, virtualTime } from '../../../helpers/virtual-time.js';

const SHOP = 'throttle-test.myshopify.com';
const Page = z.object({ customers: z.object({ nodes: z.array(z.looseObject({ id: z.string() })) }) });
const QUERY = pageQuery(RESOURCES.customers, 0);

describe('ShopifyAdminClient against a fake GraphQL Admin API (127.0.0.1)', () => {
  let shop: FakeShop;
  let time: VirtualTime;
  beforeEach(async () => {
    time = virtualTime();
    // A small bucket: 100 points, refilled at 10 per second. A page of 5 customers costs 52.
    shop = await startFakeShop({
      shop: SHOP,
      now: time.now,
      bucket: { maximumAvailable: 100, restoreRate: 10 },
    });
    shop.shopify.customers = [1, 2, 3].map((id) =>
      fakeCustomer({ id, email: `c${id}@example.com`, updatedAt: '2026-01-01T00:00:00Z' }),
    );
  });
  afterEach(async () => shop?.stop());

  const client = (token = shop.tokens.shopify) =>
    new ShopifyAdminClient({
      shop: SHOP,
      accessToken: token,
      apiVersion: '2026-07',
      baseUrl: shop.url,
      sleep: time.sleep,
      now: time.now,
    });
  const page = (c: ShopifyAdminClient) => c.request(QUERY, { first: 5, after: null, query: null }, Page);

  it('waits for the bucket to refill before a query it cannot afford, so Shopify never throttles it', async () => {
    const c = client();

    await page(c);
    await page(c);
    await page(c);

    // Each page asks for 52 points and costs 32: 68 are left after the first, 36 after the second, so the third
    // waits (52 - 36) / 10 per second = 1.6 s first.
    expect(time.sleeps).toEqual([1_600]);
    expect(shop.shopify.calls.map((call) => call.throttled)).toEqual([false, false, false]);
    expect(c.stats).toMatchObject({ calls: 3, throttled: 0, retried: 0, waitedMs: 1_600 });
  });

  it('waits out a THROTTLED answer and a 429 and retries: the call succeeds', async () => {
    shop.shopify.fail('throttled', 'http429');
    const c = client();

    const answer = await page(c);

    expect(answer.customers.nodes).toHaveLength(3);
    expect(c.stats).toMatchObject({ calls: 3, throttled: 2 });
    expect(time.sleeps).toContain(1_000);
  });

  it('retries server errors with backoff', async () => {
    shop.shopify.fail('http500', 'http500');
    const c = client();

    await page(c);

    expect(c.stats).toMatchObject({ calls: 3, retried: 2 });
    expect(time.sleeps.filter((ms) => ms > 0)).toEqual([1_000, 2_000]);
  });

  it('fails at once, without retrying, when Shopify refuses the token', async () => {
    const c = client('shpat_revoked');

    await expect(page(c)).rejects.toBeInstanceOf(AdminApiAuthError);
    expect(c.stats.calls).toBe(1);
  });

  it('refuses a query that costs more than the whole bucket instead of waiting forever', async () => {
    const c = client();

    await expect(c.request(QUERY, { first: 50, after: null, query: null }, Page)).rejects.toBeInstanceOf(
      AdminApiRequestError,
    );
  });
});
