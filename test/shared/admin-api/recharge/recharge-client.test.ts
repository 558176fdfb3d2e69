import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeRechargeCustomer, fakeSubscription } from '../../../../local/fake-shop/fake-data.js';
import { type FakeShop, startFakeShop } from '../../../../local/fake-shop/fake-shop-server.js';
import { AdminApiAuthError } from '../../../../shared/admin-api/http.js';
import { RechargeClient } from '../../../../shared/admin-api/recharge/recharge-client.js';
import { type VirtualTime, virtualTime } from '../../../helpers/virtual-time.js';

describe('RechargeClient against a fake Recharge API (127.0.0.1)', () => {
  let shop: FakeShop;
  let time: VirtualTime;
  beforeEach(async () => {
    time = virtualTime();
    shop = await startFakeShop({ shop: 'recharge-test.myshopify.com' });
    shop.recharge.subscriptions = Array.from({ length: 300 }, (_, i) =>
      fakeSubscription({ id: i + 1, customerId: 1, createdAt: '2026-01-01T00:00:00+00:00' }),
    );
  });
  afterEach(async () => shop?.stop());

  const client = (token = shop.tokens.recharge) =>
    new RechargeClient({
      apiToken: token,
      apiVersion: '2021-11',
      baseUrl: shop.rechargeUrl,
      sleep: time.sleep,
      now: time.now,
    });

  it('follows next_cursor across pages of 250, sending only the cursor after the first page', async () => {
    const c = client();

    const first = await c.page('subscriptions', { updated_at_min: '2025-12-31T00:00:00' }, null);
    const second = await c.page('subscriptions', { updated_at_min: '2025-12-31T00:00:00' }, first.next);

    expect([first.items.length, second.items.length]).toEqual([250, 50]);
    expect(second.next).toBeNull();
    expect(shop.recharge.calls.map((call) => call.path)).toEqual(['subscriptions', 'subscriptions']);
  });

  it('paces calls to Recharge’s 2 per second and waits out a 429 (Retry-After) instead of failing', async () => {
    shop.recharge.throttle(2);
    const c = client();

    const page = await c.page('subscriptions', {}, null);

    expect(page.items).toHaveLength(250);
    expect(c.stats).toMatchObject({ calls: 3, throttled: 2 });
    // Two Retry-After waits of 1 s; each retry also waits for the 500 ms pace, already covered by the 1 s.
    expect(time.sleeps.filter((ms) => ms >= 1_000)).toEqual([1_000, 1_000]);
  });

  it('fails at once when Recharge refuses the token', async () => {
    await expect(client('wrong').page('customers', {}, null)).rejects.toBeInstanceOf(AdminApiAuthError);
  });

  it('reads one customer by id, and lists and creates webhooks', async () => {
    shop.recharge.customers = [
      fakeRechargeCustomer({
        id: 7,
        shopifyId: 70,
        email: 'r@example.com',
        updatedAt: '2026-01-01T00:00:00+00:00',
      }),
    ];
    const c = client();

    expect(await c.customer('7')).toMatchObject({ email: 'r@example.com' });
    expect(await c.customer('8')).toBeUndefined();
    await c.createWebhook('https://hooks.example/webhooks/recharge', 'charge/paid');
    expect(await c.webhooks()).toEqual([
      { id: '1', address: 'https://hooks.example/webhooks/recharge', topic: 'charge/paid' },
    ]);
  });
});
