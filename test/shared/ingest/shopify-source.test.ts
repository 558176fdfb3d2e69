import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../shared/delivery/outbox-message.js';
import { shopifySource } from '../../../shared/ingest/shopify-source.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { type ProcessDeps, processInboxMessage } from '../../../shared/process/process-envelope.js';
import { signShopifyBody } from '../../../shared/signatures/shopify-signature.js';
import { MemoryDedupeStore, MemoryQueue, testTelemetry } from '../../helpers/fakes.js';
import { ingress, post, responseJson } from '../../helpers/reviews-ingress.js';
import { readSample } from '../../helpers/shopify-delivery.js';

const SHOP = 'demo.myshopify.com';
const OTHER = 'other.myshopify.com';
const SECRET = 'shpss_demo_app_secret';
const ORDER = readSample('shopify/orders-create.json');

const SECRETS = {
  [SHOP]: { shopify: { clientSecrets: [SECRET] } },
  [OTHER]: { shopify: { clientSecrets: ['shpss_other_app_secret'] } },
};

/** The captured delivery: the order's raw bytes, validly signed for SHOP, and its headers. */
const captured = (headers: Record<string, string> = {}) =>
  post('/webhooks/shopify', ORDER, {
    'x-shopify-topic': 'orders/create',
    'x-shopify-hmac-sha256': signShopifyBody(ORDER, SECRET),
    'x-shopify-shop-domain': SHOP,
    'x-shopify-webhook-id': 'wh-captured-1',
    'x-shopify-event-id': 'ev-captured-1',
    'x-shopify-triggered-at': '2026-11-28T09:59:59.000Z',
    ...headers,
  });

/** Runs every queued envelope through the process worker and returns what it handed to the outbox. */
const processAll = async (queued: readonly { body: string }[]): Promise<OutboxMessage[]> => {
  const outbox = new MemoryQueue();
  const deps: ProcessDeps = {
    dedupe: new MemoryDedupeStore(),
    outbox,
    normalizers: normalizerRegistry,
    stages: [],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock: () => new Date('2026-11-28T10:00:00Z'),
    telemetry: testTelemetry(),
  };
  for (const message of queued) await processInboxMessage(message.body, deps);
  return outbox.json<OutboxMessage>();
};

describe('Shopify ingress: the shop header only selects a configured shop, it never makes a new one', () => {
  it('turns a captured order replayed under X-Shopify-Shop-Domain variants into no second business event', async () => {
    const { send, inbox, telemetry } = ingress(shopifySource, SECRETS);
    const variants = [
      SHOP,
      'evil-shop.myshopify.com',
      `evil-${SHOP}`,
      SHOP.toUpperCase(),
      `${SHOP}.`,
      `  ${SHOP}\t`,
      `${SHOP}.evil.example`,
      OTHER,
      '',
    ];
    const statuses: Record<string, number> = {};
    for (const shop of variants)
      statuses[shop] = (await send(captured({ 'x-shopify-shop-domain': shop }))).statusCode;
    // The same re-spelled replay with a fresh webhook id gets past the delivery dedupe, not the business key.
    const fresh = await send(
      captured({ 'x-shopify-shop-domain': `${SHOP.toUpperCase()}.`, 'x-shopify-webhook-id': 'wh-forged-2' }),
    );

    expect(statuses).toEqual({
      [SHOP]: 200,
      'evil-shop.myshopify.com': 401,
      [`evil-${SHOP}`]: 401,
      [SHOP.toUpperCase()]: 200,
      [`${SHOP}.`]: 200,
      [`  ${SHOP}\t`]: 200,
      [`${SHOP}.evil.example`]: 401,
      [OTHER]: 401,
      '': 401,
    });
    expect(fresh.statusCode).toBe(200);
    expect(telemetry.counters.get('WebhookRejected_unknown_shop')).toBe(4);
    expect(telemetry.counters.get('WebhookRejected_invalid_signature')).toBe(1);

    const queued = inbox.json<{ shop: string }>();
    expect(new Set(queued.map((envelope) => envelope.shop))).toEqual(new Set([SHOP]));
    const events = (await processAll(inbox.sent)).filter((m) => m.type === 'event');
    expect(events.map((m) => m.type === 'event' && [m.event.name, m.event.shop])).toEqual([
      ['Order Completed', SHOP],
    ]);
  });

  it('answers 401 unknown_shop (counted, never queued) for an unconfigured shop, even correctly signed', async () => {
    const { send, inbox } = ingress(shopifySource, SECRETS);
    const response = await send(captured({ 'x-shopify-shop-domain': 'new-store.myshopify.com' }));
    expect(response.statusCode).toBe(401);
    expect(responseJson(response)).toEqual({ error: 'unknown_shop' });
    expect(inbox.sent).toHaveLength(0);
  });

  it('refuses a compliance payload that names another shop than the one whose secret signed it', async () => {
    const { send, inbox } = ingress(shopifySource, SECRETS);
    const redact = (shop: string) => JSON.stringify({ shop_id: 1, shop_domain: shop, customer: { id: 7 } });
    const signedFor = (body: string) => ({
      ...captured({
        'x-shopify-topic': 'customers/redact',
        'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
      }),
      body: Buffer.from(body),
    });
    const refused = await send(signedFor(redact(OTHER)));
    expect(refused.statusCode).toBe(401);
    expect(responseJson(refused)).toEqual({ error: 'shop_mismatch' });
    const accepted = await send(signedFor(redact('Demo.myshopify.com')));
    expect(accepted.statusCode).toBe(200);
    expect(inbox.sent).toHaveLength(1);
  });
});
