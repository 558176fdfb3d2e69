import { randomUUID } from 'node:crypto';
import { LOCAL_DEFAULTS } from './local-config.js';
import { postShopifyWebhook } from './post-shopify-webhook.js';

/**
 * `npm run demo:cart-recovery`: against a running `npm start -- --fast`, Ann starts a checkout and walks away
 * (she gets Checkout Abandoned after each step) while Bob starts one and buys at once (rescued: no abandoned event).
 * Timestamps are current because the recovery delays count from the cart's last activity.
 */
const url = `http://127.0.0.1:${process.env.PORT ?? LOCAL_DEFAULTS.apiPort}`;
const run = randomUUID().slice(0, 8);
const now = new Date().toISOString();

const checkout = (name: string, customerId: number) => ({
  token: `chk-${name}-${run}`,
  cart_token: `cart-${name}-${run}`,
  email: `${name}@example.com`,
  customer: { id: customerId, email: `${name}@example.com`, first_name: name },
  currency: 'USD',
  total_price: '25.00',
  subtotal_price: '25.00',
  created_at: now,
  updated_at: now,
  abandoned_checkout_url: `https://${LOCAL_DEFAULTS.shop}/checkouts/ac/cart-${name}-${run}/recover?key=demo`,
  line_items: [
    { title: 'Demo mug', quantity: 1, price: '25.00', product_id: 1, variant_id: 11, sku: 'MUG-1' },
  ],
});

const post = async (topic: string, payload: unknown, label: string): Promise<void> => {
  const body = JSON.stringify(payload);
  const response = await postShopifyWebhook(url, body, { topic, triggeredAt: now });
  process.stdout.write(`${label.padEnd(34)} ${topic.padEnd(17)} → ${response.status}\n`);
};

const main = async (): Promise<void> => {
  const customerBase = 4000 + Math.floor(Math.random() * 1000) * 2;
  const ann = checkout('ann', customerBase);
  const bob = checkout('bob', customerBase + 1);
  await post('checkouts/create', ann, 'Ann starts a checkout, walks away');
  await post('checkouts/create', bob, 'Bob starts a checkout…');
  await post(
    'orders/create',
    {
      id: Date.now(),
      cart_token: bob.cart_token,
      checkout_token: bob.token,
      email: bob.email,
      customer: bob.customer,
      currency: 'USD',
      total_price: '25.00',
      line_items: bob.line_items,
      created_at: now,
      processed_at: now,
    },
    '…and buys at once',
  );
  process.stdout.write(
    '\nWatch the `npm start -- --fast` terminal: Ann gets "Checkout Abandoned" after ~15 s and ~30 s;\nBob gets "Order Completed" and nothing abandoned (his schedule is deleted).\n',
  );
};

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed (is \`npm start -- --fast\` running?): ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
