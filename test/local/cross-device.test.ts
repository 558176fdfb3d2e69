import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../../local/customerio-capture.js';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import { silentLog } from '../../shared/ports/telemetry.js';

import { readSample } from '../helpers/shopify-delivery.js';
import { waitFor } from '../helpers/wait-for.js';

const SHOP = LOCAL_DEFAULTS.shop;
const ORIGIN = 'https://shop.example';
const PUBLIC_KEY = 'pk_local_0123456789';
const CUSTOMER_ID = '115310627314723954';

let seq = 0;
const beacon = (
  stack: LocalStack,
  name: string,
  clientId: string,
  data: unknown,
  href = `${ORIGIN}/cart`,
) => {
  seq += 1;
  return fetch(`${stack.apiUrl}/collect`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({
      shop: SHOP,
      key: PUBLIC_KEY,
      event: {
        id: `sh-cross-device-${seq}`,
        name,
        clientId,
        timestamp: new Date(Date.UTC(2026, 10, 28, 9, 0, seq)).toISOString(),
        seq,
        type: 'standard',
        data,
        context: { document: { location: { href }, referrer: null, title: 'Shop' } },
      },
    }),
  });
};

const variant = {
  id: '41327143321713',
  title: 'Default Title',
  sku: 'board-1',
  price: { amount: 749.95, currencyCode: 'USD' },
  product: {
    id: '7234590834801',
    title: 'Snowboard',
    vendor: 'Hydrogen',
    type: 'snowboard',
    url: '/products/board',
  },
};
const line = {
  quantity: 1,
  cost: { totalAmount: { amount: 749.95, currencyCode: 'USD' } },
  merchandise: variant,
};
const addedToCart = { cartLine: line };
const cart = (token: string) => ({
  cart: {
    id: `gid://shopify/Cart/${token}?key=k-${token}`,
    totalQuantity: 1,
    cost: { totalAmount: { amount: 749.95, currencyCode: 'USD' } },
    lines: [line],
  },
});

const postOrder = (stack: LocalStack, body: string) =>
  postShopifyWebhook(stack.apiUrl, body, {
    topic: 'orders/create',
    shop: SHOP,
    webhookId: 'wh-cross-device-1',
    eventId: 'ev-cross-device-1',
    triggeredAt: '2026-11-28T10:00:00.000Z',
  });

const anonymousEvents = (requests: CapturedRequest[]) =>
  requests.flatMap((r) =>
    r.path === '/api/v1/events' ? [r.body as { anonymous_id: string; name: string }] : [],
  );

describe('cross-device stitching through the local stack (beacons → order → Customer.io capture)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    process.env.SHOPS = JSON.stringify({
      [SHOP]: { storefront: { publicKey: PUBLIC_KEY, origins: [ORIGIN] } },
    });
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 1,
      retry: { maxAttempts: 2 },
      log: silentLog,
    });
  });
  afterAll(async () => stack?.stop());

  it('merges the phone and desktop browsers of the buyer, and only them', async () => {
    const capture = stack.capture;
    if (!capture) throw new Error('expected the local capture');

    const preflight = await fetch(`${stack.apiUrl}/collect`, {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    const sent = [
      await beacon(stack, 'product_added_to_cart', 'anon-phone', addedToCart),
      await beacon(stack, 'cart_viewed', 'anon-phone', cart('cart-1')),
      await beacon(stack, 'product_added_to_cart', 'anon-desktop', addedToCart),
      await beacon(stack, 'cart_viewed', 'anon-desktop', cart('cart-2')),
      // The buyer logs in on the phone: Shopify carries the customer's cart across devices.
      await beacon(stack, 'cart_viewed', 'anon-phone', cart('cart-2')),
      await beacon(
        stack,
        'checkout_started',
        'anon-desktop',
        { checkout: { token: 'co-2', lineItems: [] } },
        `${ORIGIN}/checkouts/cn/cart-2`,
      ),
      await beacon(stack, 'cart_viewed', 'anon-stranger', cart('cart-3')),
    ];
    expect(sent.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 202, 202]);

    const anonymous = await waitFor(
      () => {
        const found = anonymousEvents(capture.requests);
        return found.length >= 6 ? found : undefined;
      },
      20_000,
      'anonymous events at /api/v1/events',
    );
    expect(anonymous.map((e) => e.anonymous_id).sort()).toEqual([
      'anon-desktop',
      'anon-desktop',
      'anon-phone',
      'anon-phone',
      'anon-phone',
      'anon-stranger',
    ]);

    const order = JSON.parse(
      readSample('shopify/orders-create.json').replace(/"id": (\d{16,})/g, '"id": "$1"'),
    );
    const body = JSON.stringify({ ...order, cart_token: 'cart-2', checkout_token: 'co-2' });
    expect((await postOrder(stack, body)).status).toBe(200);

    const merges = await waitFor(
      () => {
        const found = capture
          .operations()
          .filter(
            (op) => op.action === 'identify' && (op.attributes as { anonymous_id?: string }).anonymous_id,
          );
        return found.length >= 2 ? found : undefined;
      },
      20_000,
      'merge identifies',
    );
    expect(merges.map((op) => (op.attributes as { anonymous_id: string }).anonymous_id).sort()).toEqual([
      'anon-desktop',
      'anon-phone',
    ]);
    for (const op of merges) expect(op.identifiers).toEqual({ id: CUSTOMER_ID });

    await beacon(stack, 'product_viewed', 'anon-phone', { productVariant: variant });
    const direct = await waitFor(
      () => capture.operations().find((op) => op.action === 'event' && op.name === 'Product Viewed'),
      20_000,
      'Product Viewed addressed to the buyer',
    );
    expect(direct.identifiers).toEqual({ id: CUSTOMER_ID });
    await new Promise((r) => setTimeout(r, 1_500));
    const identifies = capture.operations().filter((op) => op.action === 'identify');
    expect(identifies.filter((op) => (op.attributes as { anonymous_id?: string }).anonymous_id)).toHaveLength(
      2,
    );
    expect(anonymousEvents(capture.requests).filter((e) => e.name === 'Product Viewed')).toEqual([]);
  });
});
