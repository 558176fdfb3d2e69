import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { judgemeSource } from '../../../shared/ingest/judgeme-source.js';
import { signJudgemeBody } from '../../../shared/signatures/judgeme-signature.js';
import { readReviewSample } from '../../helpers/reviews-envelope.js';
import { INGRESS_NOW, ingress, post, responseJson } from '../../helpers/reviews-ingress.js';

const TOKEN = 'judgeme_private_token';
const SHOP = 'test.myshopify.com';
const SECRETS = { [SHOP]: { judgeme: { secrets: ['old_token', TOKEN] } } };
const BODY = readReviewSample('judgeme', 'review-created.json');

describe('Judge.me ingress through handleWebhook', () => {
  it('queues a signed delivery; topic and shop come from the verified body', async () => {
    const { send, envelopes } = ingress(judgemeSource, SECRETS);
    const response = await send(
      post('/webhooks/judgeme', BODY, { 'judgeme-hmac-sha256': signJudgemeBody(BODY, TOKEN) }),
    );
    expect(response.statusCode).toBe(200);
    expect(envelopes()).toEqual([
      {
        version: 1,
        source: 'judgeme',
        topic: 'review/created',
        shop: 'test.myshopify.com',
        deliveryId: createHash('sha256').update(`review/created\n${BODY}`).digest('hex'),
        receivedAt: INGRESS_NOW.toISOString(),
        signed: true,
        body: BODY,
      },
    ]);
  });

  it('takes the shop from the signed body, never from the unsigned x-judgeme-shop-domain header', async () => {
    const { send, envelopes } = ingress(judgemeSource, SECRETS);
    await send(
      post('/webhooks/judgeme', BODY, {
        'judgeme-hmac-sha256': signJudgemeBody(BODY, TOKEN),
        'x-judgeme-shop-domain': 'Other-Shop.myshopify.com',
      }),
    );
    expect(envelopes()[0]?.shop).toBe(SHOP);
  });

  it('answers 401 for a bad or missing signature without looking at the body', async () => {
    const { send, inbox } = ingress(judgemeSource, SECRETS);
    const bad = await send(
      post('/webhooks/judgeme', BODY, { 'judgeme-hmac-sha256': signJudgemeBody(BODY, 'wrong') }),
    );
    expect(bad.statusCode).toBe(401);
    expect(responseJson(bad)).toEqual({ error: 'invalid_signature' });
    const missing = await send(post('/webhooks/judgeme', 'not json', {}));
    expect(missing.statusCode).toBe(401);
    expect(responseJson(missing)).toEqual({ error: 'missing_signature' });
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 400 when a signed body names no event or shop', async () => {
    const { send, inbox } = ingress(judgemeSource, SECRETS);
    const body = '{"review":{"id":1}}';
    const response = await send(
      post('/webhooks/judgeme', body, { 'judgeme-hmac-sha256': signJudgemeBody(body, TOKEN) }),
    );
    expect(response.statusCode).toBe(400);
    expect(responseJson(response)).toEqual({ error: 'missing_headers', missing: ['event', 'shop_domain'] });
    const notJson = 'review';
    const garbage = await send(
      post('/webhooks/judgeme', notJson, { 'judgeme-hmac-sha256': signJudgemeBody(notJson, TOKEN) }),
    );
    expect(garbage.statusCode).toBe(400);
    expect(inbox.sent).toHaveLength(0);
  });
});
