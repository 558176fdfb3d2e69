import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { yotpoSource } from '../../../shared/ingest/yotpo-source.js';
import { readReviewSample } from '../../helpers/reviews-envelope.js';
import { INGRESS_NOW, ingress, post, responseJson } from '../../helpers/reviews-ingress.js';

const TOKEN = 'yt_3f9a1c7e5b2d4a6c8e0f1a2b3c4d5e6f';
const SHOP = 'demo.myshopify.com';
const APP_KEY = 'StmYvzud6bHLtosn5k5DoGoA7M0kghzjMdH25DST';
const SECRETS = { [SHOP]: { yotpo: { tokens: [TOKEN], appKey: APP_KEY } } };
const BODY = readReviewSample('yotpo', 'review-create.json');

describe('Yotpo ingress through handleWebhook', () => {
  it('queues a delivery to the secret URL as the shop the token belongs to; topic from the body', async () => {
    const { send, envelopes } = ingress(yotpoSource, SECRETS);
    const response = await send(post(`/webhooks/yotpo/${TOKEN}`, BODY, {}));
    expect(response.statusCode).toBe(200);
    expect(envelopes()).toEqual([
      {
        version: 1,
        source: 'yotpo',
        topic: 'review_create',
        shop: SHOP,
        deliveryId: createHash('sha256').update(`review_create\n${BODY}`).digest('hex'),
        receivedAt: INGRESS_NOW.toISOString(),
        signed: true,
        body: BODY,
      },
    ]);
  });

  it('answers 401 for a wrong token or none', async () => {
    const { send, inbox } = ingress(yotpoSource, SECRETS);
    const wrong = await send(post('/webhooks/yotpo/yt_wrong_token_value', BODY, {}));
    expect(wrong.statusCode).toBe(401);
    expect(responseJson(wrong)).toEqual({ error: 'invalid_signature' });
    const none = await send(post('/webhooks/yotpo', BODY, {}));
    expect(none.statusCode).toBe(401);
    expect(responseJson(none)).toEqual({ error: 'missing_signature' });
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 400 when the body names no event or store key', async () => {
    const { send, inbox } = ingress(yotpoSource, SECRETS);
    const response = await send(post(`/webhooks/yotpo/${TOKEN}`, '{"data":{"id":"1"}}', {}));
    expect(response.statusCode).toBe(400);
    expect(responseJson(response)).toEqual({ error: 'missing_headers', missing: ['event', 'data.app_key'] });
    expect(inbox.sent).toHaveLength(0);
  });
});
