import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeShop, startFakeShop } from '../../../local/fake-shop/fake-shop-server.js';
import { RechargeClient } from '../../../shared/admin-api/recharge/recharge-client.js';
import { ShopifyAdminClient } from '../../../shared/admin-api/shopify/admin-graphql-client.js';
import {
  checkRechargeWebhooks,
  checkShopifySubscriptions,
  RECHARGE_TOPICS,
  SHOPIFY_TOPICS,
} from '../../../shared/reconcile/webhook-check.js';
import { virtualTime } from '../../helpers/virtual-time.js';

const HOOK = 'https://connector.example/webhooks/shopify';
const RECHARGE_HOOK = 'https://connector.example/webhooks/recharge';

describe('webhook subscription checks (fake shop on 127.0.0.1)', () => {
  let shop: FakeShop;
  beforeEach(async () => {
    shop = await startFakeShop({ shop: 'hooks-test.myshopify.com' });
    shop.shopify.subscribeAll(SHOPIFY_TOPICS, HOOK);
    shop.recharge.registerAll(RECHARGE_TOPICS, RECHARGE_HOOK);
  });
  afterEach(async () => shop?.stop());

  const time = virtualTime();
  const shopify = () =>
    new ShopifyAdminClient({
      shop: shop.shop,
      accessToken: shop.tokens.shopify,
      apiVersion: '2026-07',
      baseUrl: shop.url,
      sleep: time.sleep,
      now: time.now,
    });
  const recharge = () =>
    new RechargeClient({
      apiToken: shop.tokens.recharge,
      apiVersion: '2021-11',
      baseUrl: shop.rechargeUrl,
      sleep: time.sleep,
      now: time.now,
    });

  it('expects a subscription for every topic the connector maps, but the app-configured compliance topics', () => {
    expect([...SHOPIFY_TOPICS].sort()).toEqual(
      [
        'orders/create',
        'orders/paid',
        'orders/updated',
        'orders/cancelled',
        'orders/fulfilled',
        'refunds/create',
        'customers/create',
        'customers/update',
        'customers_email_marketing_consent/update',
        'customers_marketing_consent/update',
        'carts/create',
        'carts/update',
        'checkouts/create',
        'checkouts/update',
        'checkouts/delete',
        'app/uninstalled',
      ].sort(),
    );
    expect(RECHARGE_TOPICS).toContain('subscription/created');
    expect(RECHARGE_TOPICS).toHaveLength(12);
  });

  it('finds nothing missing when every mapped topic points at the connector', async () => {
    expect(await checkShopifySubscriptions(shopify(), HOOK, 'check')).toEqual({ missing: [], recreated: [] });
  });

  it('reports a removed subscription, and a subscription to another URL does not count', async () => {
    shop.shopify.removeSubscription('orders/create');
    shop.shopify.subscriptions = shop.shopify.subscriptions.map((s) =>
      s.topic === 'REFUNDS_CREATE' ? { ...s, uri: 'https://old-endpoint.example/hooks' } : s,
    );

    const result = await checkShopifySubscriptions(shopify(), HOOK, 'check');

    expect(result).toEqual({ missing: ['orders/create', 'refunds/create'], recreated: [] });
    expect(shop.shopify.subscriptions.some((s) => s.topic === 'ORDERS_CREATE')).toBe(false);
  });

  it('re-creates a removed subscription when allowed to', async () => {
    shop.shopify.removeSubscription('checkouts/create');

    const result = await checkShopifySubscriptions(shopify(), HOOK, 'recreate');

    expect(result).toEqual({ missing: [], recreated: ['checkouts/create'] });
    expect(shop.shopify.subscriptions).toContainEqual(
      expect.objectContaining({ topic: 'CHECKOUTS_CREATE', uri: HOOK }),
    );
  });

  it('still reports it missing, with Shopify’s reason, when the token may not create it', async () => {
    shop.shopify.removeSubscription('orders/create');
    shop.shopify.denySubscriptionWrites = true;

    const result = await checkShopifySubscriptions(shopify(), HOOK, 'recreate');

    expect(result).toEqual({ missing: ['orders/create'], recreated: [], failure: 'Access denied for topic' });
  });

  it('re-creates a Recharge webhook Recharge deleted', async () => {
    shop.recharge.webhooks = shop.recharge.webhooks.filter((w) => w.topic !== 'charge/paid');

    expect(await checkRechargeWebhooks(recharge(), RECHARGE_HOOK, 'check')).toEqual({
      missing: ['charge/paid'],
      recreated: [],
    });
    expect(await checkRechargeWebhooks(recharge(), RECHARGE_HOOK, 'recreate')).toEqual({
      missing: [],
      recreated: ['charge/paid'],
    });
    expect(await checkRechargeWebhooks(recharge(), RECHARGE_HOOK, 'check')).toEqual({
      missing: [],
      recreated: [],
    });
  });
});
