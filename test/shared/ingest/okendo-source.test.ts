import { describe, expect, it } from 'vitest';
import { okendoSource } from '../../../shared/ingest/okendo-source.js';
import { signOkendoBody } from '../../../shared/signatures/okendo-signature.js';
import { OKENDO_REVIEW_CREATE } from '../../helpers/reviews-envelope.js';
import { INGRESS_NOW, ingress, post, responseJson } from '../../helpers/reviews-ingress.js';

const SECRET = `whsec_${Buffer.from('okendo-test-signing-key-32-bytes').toString('base64')}`;
const SHOP = 'vege-box.myshopify.com';
const SUBSCRIBER = '123e4567-e89b-12d3-a456-426614174000';
const SECRETS = { [SHOP]: { okendo: { secrets: [SECRET], subscriberId: SUBSCRIBER } } };
const NOW_S = Math.floor(INGRESS_NOW.getTime() / 1000);
const ID = 'msg_2p5jXN8AQM9LWM0D4loKWxJek';

const svix = (body: string, prefix: 'svix' | 'webhook' = 'svix', secret = SECRET, ts = NOW_S - 5) => ({
  [`${prefix}-id`]: ID,
  [`${prefix}-timestamp`]: String(ts),
  [`${prefix}-signature`]: signOkendoBody(body, secret, ID, ts),
});

describe('Okendo ingress through handleWebhook', () => {
  it('queues a Svix-signed delivery: message id as delivery id, topic from the verified body, shop by its Okendo store', async () => {
    const { send, envelopes } = ingress(okendoSource, SECRETS);
    const response = await send(post('/webhooks/okendo', OKENDO_REVIEW_CREATE, svix(OKENDO_REVIEW_CREATE)));
    expect(response.statusCode).toBe(200);
    expect(envelopes()).toEqual([
      {
        version: 1,
        source: 'okendo',
        topic: 'review.create',
        shop: SHOP,
        deliveryId: ID,
        apiVersion: '2025-02-01',
        triggeredAt: new Date((NOW_S - 5) * 1000).toISOString(),
        receivedAt: INGRESS_NOW.toISOString(),
        signed: true,
        body: OKENDO_REVIEW_CREATE,
      },
    ]);
  });

  it('accepts the Standard Webhooks header names too', async () => {
    const { send, envelopes } = ingress(okendoSource, SECRETS);
    const response = await send(
      post('/webhooks/okendo', OKENDO_REVIEW_CREATE, svix(OKENDO_REVIEW_CREATE, 'webhook')),
    );
    expect(response.statusCode).toBe(200);
    expect(envelopes()[0]?.deliveryId).toBe(ID);
  });

  it('answers 401 for a wrong key, missing headers or a replay older than five minutes', async () => {
    const { send, inbox } = ingress(okendoSource, SECRETS);
    const wrongKey = `whsec_${Buffer.from('another-key').toString('base64')}`;
    const bad = await send(
      post('/webhooks/okendo', OKENDO_REVIEW_CREATE, svix(OKENDO_REVIEW_CREATE, 'svix', wrongKey)),
    );
    expect(responseJson(bad)).toEqual({ error: 'invalid_signature' });
    const missing = await send(post('/webhooks/okendo', OKENDO_REVIEW_CREATE, {}));
    expect(missing.statusCode).toBe(401);
    expect(responseJson(missing)).toEqual({ error: 'missing_signature' });
    const replay = await send(
      post('/webhooks/okendo', OKENDO_REVIEW_CREATE, svix(OKENDO_REVIEW_CREATE, 'svix', SECRET, NOW_S - 301)),
    );
    expect(replay.statusCode).toBe(401);
    expect(responseJson(replay)).toEqual({ error: 'stale_timestamp' });
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 400 when a signed body lacks its resource type, topic or store', async () => {
    const { send, inbox } = ingress(okendoSource, SECRETS);
    const body = '{"resource":{"reviewId":"r"}}';
    const response = await send(post('/webhooks/okendo', body, svix(body)));
    expect(response.statusCode).toBe(400);
    expect(responseJson(response)).toEqual({
      error: 'missing_headers',
      missing: ['resourceType', 'topic', 'resource.subscriberId'],
    });
    expect(inbox.sent).toHaveLength(0);
  });
});
