import { readFileSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_DEFAULTS } from './local/local-config.js';
import { startLocalStack } from './local/local-stack.js';
import { postShopifyWebhook } from './local/post-shopify-webhook.js';
import { itemBytes } from './shared/activity/activity-item.js';
import { silentLog } from './shared/ports/telemetry.js';

const stack = await startLocalStack({
  log: silentLog,
  visibilityTimeoutSeconds: 1,
  retry: { maxAttempts: 2 },
});
const beacon = (name: string, clientId: string, data: unknown, seq: number) =>
  fetch(`${stack.apiUrl}/collect`, {
    method: 'POST',
    headers: { origin: LOCAL_DEFAULTS.storefrontOrigin, 'content-type': 'text/plain' },
    body: JSON.stringify({
      shop: LOCAL_DEFAULTS.shop,
      key: LOCAL_DEFAULTS.storefrontKey,
      event: {
        id: `e-${seq}`,
        name,
        clientId,
        timestamp: new Date().toISOString(),
        seq,
        type: 'standard',
        data,
        context: {
          document: { location: { href: 'http://localhost:3000/cart' }, referrer: null, title: 'x' },
        },
      },
    }),
  });
const line = {
  quantity: 1,
  cost: { totalAmount: { amount: 10, currencyCode: 'USD' } },
  merchandise: {
    id: '1',
    title: 'T',
    sku: 's',
    price: { amount: 10, currencyCode: 'USD' },
    product: { id: '2', title: '<b>Mug</b>', vendor: 'v', type: 't', url: '/p' },
  },
};
const cart = (t: string) => ({
  cart: {
    id: `gid://shopify/Cart/${t}?key=k`,
    totalQuantity: 1,
    cost: { totalAmount: { amount: 10, currencyCode: 'USD' } },
    lines: [line],
  },
});
console.log((await beacon('cart_viewed', 'anon-a', cart('cart-2'), 1)).status);
console.log((await beacon('cart_viewed', 'anon-b', cart('cart-2'), 2)).status);
const order = JSON.parse(
  readFileSync('test/fixtures/samples/shopify/orders-create.json', 'utf8').replace(
    /"id": (\d{16,})/g,
    '"id": "$1"',
  ),
);
console.log(
  (
    await postShopifyWebhook(stack.apiUrl, JSON.stringify({ ...order, cart_token: 'cart-2' }), {
      topic: 'orders/create',
    })
  ).status,
);
await new Promise((r) => setTimeout(r, 6000));
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${stack.inspectorUrl}?q=${encodeURIComponent(order.email)}`);
await page.screenshot({ path: '/tmp/h9/shot.png', fullPage: true });
console.log(await page.title());
await browser.close();
await stack.stop();
