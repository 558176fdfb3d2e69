import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import { readSample } from '../../test/helpers/fixtures.js';

/** One Shopify delivery the CPU section measures: the raw bytes and the topic header that comes with them. */
export interface Workload {
  readonly name: string;
  readonly topic: string;
  readonly body: Buffer;
}

const SHOPIFY_DIR = resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'samples', 'shopify');

/** Sample files whose names do not split into resource and action at the last dash. */
const TOPIC_BY_FILE: Readonly<Record<string, string>> = {
  'customers-data-request': 'customers/data_request',
  'customers-email-marketing-consent-update': 'customers_email_marketing_consent/update',
  'customers-marketing-consent-update': 'customers_marketing_consent/update',
};

/** Topic of a sample file: `orders-create.json` and `orders-create.rudderstack.json` are orders/create. */
export const topicOfSample = (file: string): string => {
  const base = file.replace(/(\.rudderstack)?\.json$/, '');
  return TOPIC_BY_FILE[base] ?? base.replace(/-(?=[^-]+$)/, '/');
};

/**
 * Every Shopify webhook sample in test/fixtures/samples/shopify. The web-pixel files are storefront beacons, not
 * webhooks (no HMAC, another route), so they are left out: the floor this section divides by includes an HMAC.
 */
export const shopifyWebhookSamples = (): Workload[] =>
  readdirSync(SHOPIFY_DIR)
    .filter((file) => file.endsWith('.json') && !file.startsWith('web-pixel-'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.json$/, ''),
      topic: topicOfSample(file),
      body: Buffer.from(readSample(`shopify/${file}`), 'utf8'),
    }));

/** Marks a value that must be written as a bare JSON number, however long (Shopify ids exceed 2^53). */
const RAW = '\u0000raw:';
const raw = (digits: string): string => `${RAW}${digits}`;

/** Adds `offset` to a decimal integer string exactly. */
const addToId = (id: string, offset: number): string => (BigInt(id) + BigInt(offset)).toString();

/**
 * An orders/create body with `lines` line items in the shape of the orders-create sample's first line item, each
 * with its own exact 18-digit ids, title, SKU, price and quantity, every tenth one discounted. Compact JSON, as
 * Shopify sends it (the samples are pretty-printed by the docs they come from).
 */
export const largeOrder = (lines: number): Workload => {
  const order = parseJsonLossless(readSample('shopify/orders-create.json')) as Record<string, unknown>;
  const template = (order.line_items as Record<string, unknown>[])[0];
  if (!template) throw new Error('orders-create sample has no line item');
  let subtotal = 0;
  const items = Array.from({ length: lines }, (_, i) => {
    const price = (5 + ((i * 37) % 200) + (i % 100) / 100).toFixed(2);
    const quantity = 1 + (i % 3);
    const discount = i % 10 === 0 ? (Number(price) / 10).toFixed(2) : '0.00';
    subtotal += Number(price) * quantity - Number(discount);
    const id = addToId(String(template.id), i * 7919);
    const money = (amount: string) => ({
      shop_money: { amount, currency_code: 'USD' },
      presentment_money: { amount, currency_code: 'USD' },
    });
    return {
      ...template,
      id: raw(id),
      admin_graphql_api_id: `gid://shopify/LineItem/${id}`,
      name: `Product ${i} - Size ${['S', 'M', 'L'][i % 3]}`,
      title: `Product ${i}`,
      variant_title: ['S', 'M', 'L'][i % 3],
      vendor: 'Bench Co',
      price,
      price_set: money(price),
      product_id: raw(addToId('788032119674292922', i * 104_729)),
      variant_id: raw(addToId('642667041472713922', i * 1_299_709)),
      quantity,
      current_quantity: quantity,
      fulfillable_quantity: quantity,
      sku: `SKU-${String(i).padStart(5, '0')}`,
      total_discount: discount,
      total_discount_set: money(discount),
      discount_allocations:
        discount === '0.00'
          ? []
          : [{ amount: discount, amount_set: money(discount), discount_application_index: 0 }],
    };
  });
  const total = subtotal.toFixed(2);
  const text = JSON.stringify({
    ...order,
    id: raw(String(order.id)),
    line_items: items,
    subtotal_price: total,
    total_price: total,
    total_line_items_price: total,
  }).replace(/"\\u0000raw:(\d+)"/g, '$1');
  return {
    name: `orders-create, ${lines} lines (generated)`,
    topic: 'orders/create',
    body: Buffer.from(text),
  };
};
