import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { stampedShop, stampedSource } from '../../../shared/ingest/stamped-source.js';
import { testShops } from '../../helpers/fakes.js';
import { readReviewSample } from '../../helpers/reviews-envelope.js';
import { INGRESS_NOW, ingress, post, responseJson } from '../../helpers/reviews-ingress.js';

const SECRET = 'stamped-merchant-secret';
const SHOP = 'demo-store.myshopify.com';
const SECRETS = { [SHOP]: { stamped: { secrets: [SECRET] } } };
const BODY = readReviewSample('stamped', 'review-created.json');

const headers = (extra: Record<string, string> = {}) => ({
  'x-stamped-webhook-secret': SECRET,
  'x-stamped-store-url': 'https://Demo-Store.myshopify.com/',
  ...extra,
});

describe('Stamped ingress through handleWebhook', () => {
  it('queues a review push as review/created, whatever X-Stamped-Topic says, with the store host as shop', async () => {
    const { send, envelopes } = ingress(stampedSource, SECRETS);
    const response = await send(post('/webhooks/stamped', BODY, headers({ 'x-stamped-topic': 'Reviews' })));
    expect(response.statusCode).toBe(200);
    expect(envelopes()).toEqual([
      {
        version: 1,
        source: 'stamped',
        topic: 'review/created',
        shop: SHOP,
        deliveryId: createHash('sha256').update(`review/created\n${BODY}`).digest('hex'),
        receivedAt: INGRESS_NOW.toISOString(),
        signed: true,
        body: BODY,
      },
    ]);
  });

  it('accepts the secret in X-Secret-Key and keeps the header topic of a non-review push', async () => {
    const { send, envelopes } = ingress(stampedSource, SECRETS);
    const nps = '{"npsScore":9,"customerEmail":"a@b.c"}';
    const response = await send(
      post('/webhooks/stamped', nps, {
        'x-secret-key': SECRET,
        'x-stamped-store-url': 'demo-store.myshopify.com',
        'x-stamped-topic': 'NPS',
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(envelopes()[0]?.topic).toBe('nps');
  });

  it('answers 401 for a wrong or missing secret', async () => {
    const { send, inbox } = ingress(stampedSource, SECRETS);
    const bad = await send(post('/webhooks/stamped', BODY, headers({ 'x-stamped-webhook-secret': 'guess' })));
    expect(bad.statusCode).toBe(401);
    expect(responseJson(bad)).toEqual({ error: 'invalid_signature' });
    const missing = await send(
      post('/webhooks/stamped', BODY, { 'x-stamped-store-url': 'demo-store.myshopify.com' }),
    );
    expect(responseJson(missing)).toEqual({ error: 'missing_signature' });
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 401 without a store url (nothing says whose secret to check) and 400 for a body that is not JSON', async () => {
    const { send, inbox } = ingress(stampedSource, SECRETS);
    const noStore = await send(post('/webhooks/stamped', BODY, { 'x-stamped-webhook-secret': SECRET }));
    expect(noStore.statusCode).toBe(401);
    expect(responseJson(noStore)).toEqual({ error: 'unknown_shop' });
    const garbage = await send(post('/webhooks/stamped', 'oops', headers()));
    expect(responseJson(garbage)).toEqual({ error: 'missing_headers', missing: ['body'] });
    expect(inbox.sent).toHaveLength(0);
  });

  it('accepts the store url of a configured custom domain as that shop', async () => {
    const shops = testShops({ [SHOP]: { customDomains: ['Shop.Example.com'] } });
    const { send, envelopes } = ingress(stampedSource, SECRETS, { shops });
    const response = await send(
      post('/webhooks/stamped', BODY, headers({ 'x-stamped-store-url': 'https://shop.example.com/' })),
    );
    expect(response.statusCode).toBe(200);
    expect(envelopes()[0]?.shop).toBe(SHOP);
  });

  it('reduces a store url to its lower-case host', () => {
    expect(stampedShop('https://Shop.Example.com/path?x=1')).toBe('shop.example.com');
    expect(stampedShop('demo.myshopify.com')).toBe('demo.myshopify.com');
    expect(stampedShop('  ')).toBeUndefined();
  });
});
