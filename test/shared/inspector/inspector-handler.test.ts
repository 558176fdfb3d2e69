import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../../../shared/activity/activity-entry.js';
import { inspectorHandler } from '../../../shared/inspector/inspector-handler.js';
import { silentLog } from '../../../shared/ports/telemetry.js';
import { memorySources } from '../../helpers/inspector-sources.js';

const SHOP = 'demo.myshopify.com';
const XSS_PRODUCT = '<img src=x onerror="document.title=1">';
const XSS_BROWSER = '"><script>document.title=2</script>';
const XSS_NAME = '<script>document.title=3</script>Ann';

const records: ActivityRecord[] = [
  {
    shop: SHOP,
    subject: `anon:${XSS_BROWSER}`,
    at: '2026-11-28T09:00:00.000Z',
    uniqueness: 'b1',
    entry: {
      kind: 'delivery',
      source: 'pixel',
      topic: 'product_added_to_cart',
      deliveryId: 'px-1',
      signed: false,
      verdict: 'processed',
      events: [{ name: 'Added to Cart', id: 'EV0', summary: `1 line · ${XSS_PRODUCT}` }],
      links: { anonymousIds: [XSS_BROWSER], carts: ['cart-1'] },
    },
  },
  {
    shop: SHOP,
    subject: 'customer:42',
    at: '2026-11-28T10:00:00.000Z',
    uniqueness: 'o1',
    orderId: '1001',
    entry: {
      kind: 'delivery',
      source: 'shopify',
      topic: 'orders/create',
      deliveryId: 'wh-1',
      signed: true,
      verdict: 'processed',
      events: [
        { name: 'Order Completed', id: 'EV1', summary: `order 1001 · 25.00 USD · 1 line · ${XSS_PRODUCT}` },
      ],
      updates: [
        { kind: 'merge', anonymousId: XSS_BROWSER },
        { kind: 'profile', attributes: ['email', 'first_name'] },
      ],
      rollup: { orders_count: 1, total_spent: 25 },
      links: { anonymousIds: [XSS_BROWSER], carts: ['cart-1'], orders: ['1001'] },
      cart: { converted: ['cart-1'] },
    },
  },
  {
    shop: SHOP,
    subject: 'customer:42',
    at: '2026-11-28T10:00:02.000Z',
    uniqueness: 's1',
    entry: {
      kind: 'sent',
      operations: [
        { op: 'event', name: 'Order Completed', eventId: 'EV1', deliveryId: 'wh-1', status: 'accepted' },
        {
          op: 'identify',
          anonymousId: XSS_BROWSER,
          deliveryId: 'wh-1',
          status: 'rejected',
          code: 'destination_rejected',
        },
      ],
    },
  },
];

const parked = {
  MessageId: 'm-1',
  Body: JSON.stringify({
    version: 1,
    source: 'shopify',
    topic: 'orders/updated',
    shop: SHOP,
    deliveryId: 'wh-9',
    receivedAt: '2026-11-28T11:00:00.000Z',
    signed: true,
    body: JSON.stringify({
      id: 1001,
      customer: { id: 42, first_name: XSS_NAME, email: 'ann@example.com' },
      line_items: [{ name: XSS_PRODUCT }],
    }),
  }),
  Attributes: { SentTimestamp: '1795000000000', ApproximateReceiveCount: '1' },
  MessageAttributes: {
    failure_code: { StringValue: 'payload_invalid' },
    failure_reason: { StringValue: 'total_price: expected a number' },
    failure_class: { StringValue: 'permanent' },
    origin: { StringValue: 'inbox' },
  },
};

const sources = memorySources({
  records,
  identity: {
    [`${SHOP}#customer_id#42`]: { customer_id: '42', email: 'ann@example.com', phone: '+14155552671' },
    [`${SHOP}#anon#${XSS_BROWSER}`]: { customer_id: '42', email: 'ann@example.com' },
  },
  inboxDlq: [parked],
});
const handler = inspectorHandler(sources, silentLog);
const get = (url: string, host = '127.0.0.1:8787') => handler({ method: 'GET', url, host });

describe('inspectorHandler', () => {
  it('shows one person with everything escaped and contact details masked', async () => {
    // Act
    const page = await get('/inspector?q=42&shop=demo.myshopify.com');

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/<script|<img/i);
    expect(page.body).toContain('&lt;img src=x onerror=&quot;document.title=1&quot;&gt;');
    expect(page.body).toContain('&quot;&gt;&lt;script&gt;document.title=2&lt;/script&gt;');
    expect(page.body).toContain('a•••@example.com');
    expect(page.body).not.toContain('ann@example.com');
    expect(page.body).not.toContain('document.title=3');
    // The timeline tells the story: the browser's beacon, the order with its merge, Customer.io's answers.
    for (const text of [
      'Storefront beacon product_added_to_cart',
      'Shopify orders/create',
      'Customer.io accepted 10:00:02',
      'Customer.io rejected (destination_rejected)',
      'orders_count',
      'payload_invalid',
    ]) {
      expect(page.body).toContain(text);
    }
  });

  it('finds the same person by order id and by browser', async () => {
    const byOrder = await get('/inspector?q=1001&kind=order');
    const byBrowser = await get(`/inspector?q=${encodeURIComponent(XSS_BROWSER)}&kind=anonymous`);
    for (const page of [byOrder, byBrowser]) expect(page.body).toContain('Shopify orders/create');
  });

  it('says so when nothing is found, and shows a redacted person as redacted', async () => {
    expect((await get('/inspector?q=nobody@example.com')).body).toContain('Nothing found');
    const redacted = inspectorHandler(
      memorySources({
        records: [
          {
            shop: SHOP,
            subject: 'customer:7',
            at: '2026-11-28T12:00:00.000Z',
            uniqueness: 'r',
            entry: { kind: 'redacted', deliveryId: 'wh-r', removed: 3 },
          },
        ],
      }),
      silentLog,
    );
    const page = await redacted({ method: 'GET', url: '/inspector?q=7&kind=customer', host: 'localhost:9' });
    expect(page.body).toContain('Redacted: a privacy request');
    expect(page.body).toContain('3 earlier record(s) deleted');
  });

  it('answers on loopback names only, GET only, and serves its stylesheet', async () => {
    expect((await get('/inspector', 'attacker.example')).status).toBe(403);
    expect((await handler({ method: 'GET', url: '/inspector', host: undefined })).status).toBe(403);
    expect((await handler({ method: 'POST', url: '/inspector', host: '127.0.0.1' })).status).toBe(405);
    const css = await get('/inspector/inspector.css', 'localhost:1');
    expect(css.headers['content-type']).toContain('text/css');
    expect((await get('/inspector/nope')).status).toBe(404);
  });
});
