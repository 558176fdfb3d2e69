import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rechargeSource } from '../../../shared/ingest/recharge-source.js';
import {
  signRechargeLegacy,
  signRechargeTimestamped,
} from '../../../shared/signatures/recharge-signature.js';
import { readRechargeSample } from '../../helpers/recharge-envelope.js';
import { INGRESS_NOW, ingress, post, responseJson } from '../../helpers/reviews-ingress.js';
import { extendSha256 } from '../../helpers/sha256-length-extension.js';

const SECRET = 'recharge_client_secret';
const SHOP = 'vege-box.myshopify.com';
const SECRETS = { [SHOP]: { recharge: { clientSecrets: ['rotated_out', SECRET] } } };
const BODY = readRechargeSample('subscription-created.boxesapp.json');
const NOW_S = Math.floor(INGRESS_NOW.getTime() / 1000);

const headers = (extra: Record<string, string> = {}) => ({
  'x-recharge-topic': 'subscription/created',
  'x-recharge-external-platform-domain': 'Vege-Box.myshopify.com',
  'x-recharge-hmac-sha256': signRechargeLegacy(BODY, SECRET),
  ...extra,
});

describe('Recharge ingress through handleWebhook', () => {
  it('queues a legacy-signed delivery with a body-hash delivery id and the lower-cased shop', async () => {
    const { send, envelopes, telemetry } = ingress(rechargeSource, SECRETS);
    const response = await send(post('/webhooks/recharge', BODY, headers()));
    expect(response.statusCode).toBe(200);
    expect(responseJson(response)).toEqual({ ok: true });
    expect(envelopes()).toEqual([
      {
        version: 1,
        source: 'recharge',
        topic: 'subscription/created',
        shop: SHOP,
        deliveryId: createHash('sha256').update(`subscription/created\n${BODY}`).digest('hex'),
        receivedAt: INGRESS_NOW.toISOString(),
        signed: true,
        body: BODY,
      },
    ]);
    expect(telemetry.counters.get('WebhookAccepted')).toBe(1);
  });

  it('gives a retry of the same bytes the same delivery id, and another topic a different one', async () => {
    const { send, envelopes } = ingress(rechargeSource, SECRETS);
    await send(post('/webhooks/recharge', BODY, headers()));
    await send(post('/webhooks/recharge', BODY, headers()));
    await send(post('/webhooks/recharge', BODY, headers({ 'x-recharge-topic': 'subscription/updated' })));
    const ids = envelopes().map((e) => e.deliveryId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('verifies the timestamped signature when present and records its time', async () => {
    const { send, envelopes } = ingress(rechargeSource, SECRETS);
    const signature = signRechargeTimestamped(BODY, SECRET, NOW_S - 60);
    const response = await send(
      post(
        '/webhooks/recharge',
        BODY,
        headers({ 'x-recharge-webhook-signature': signature, 'x-recharge-hmac-sha256': '' }),
      ),
    );
    expect(response.statusCode).toBe(200);
    expect(envelopes()[0]?.triggeredAt).toBe(new Date((NOW_S - 60) * 1000).toISOString());
  });

  it('answers 401 for a bad, missing or stale signature and queues nothing', async () => {
    const { send, inbox, telemetry } = ingress(rechargeSource, SECRETS);
    const bad = await send(
      post(
        '/webhooks/recharge',
        BODY,
        headers({ 'x-recharge-hmac-sha256': signRechargeLegacy(BODY, 'wrong') }),
      ),
    );
    expect(bad.statusCode).toBe(401);
    expect(responseJson(bad)).toEqual({ error: 'invalid_signature' });
    const missing = await send(post('/webhooks/recharge', BODY, headers({ 'x-recharge-hmac-sha256': '' })));
    expect(responseJson(missing)).toEqual({ error: 'missing_signature' });
    expect(missing.statusCode).toBe(401);
    const old = signRechargeTimestamped(BODY, SECRET, NOW_S - 49 * 3600);
    const stale = await send(
      post('/webhooks/recharge', BODY, headers({ 'x-recharge-webhook-signature': old })),
    );
    expect(stale.statusCode).toBe(401);
    expect(responseJson(stale)).toEqual({ error: 'stale_timestamp' });
    expect(inbox.sent).toHaveLength(0);
    expect(telemetry.counters.get('WebhookRejected_invalid_signature')).toBe(1);
  });

  it('answers 401 to a forged length extension of a captured legacy-signed delivery, and queues nothing', async () => {
    const { send, inbox, telemetry } = ingress(rechargeSource, SECRETS);
    expect((await send(post('/webhooks/recharge', BODY, headers()))).statusCode).toBe(200);
    // Without the secret: the captured hash, a guess at the secret's length, and a suffix of the attacker's.
    const captured = signRechargeLegacy(BODY, SECRET);
    const bodies = [8, 16, SECRET.length, 32].map((guess) => {
      const forged = extendSha256(
        captured,
        guess + Buffer.byteLength(BODY),
        Buffer.from(',"status":"cancelled"}'),
      );
      const request = post('/webhooks/recharge', '', headers({ 'x-recharge-hmac-sha256': forged.digest }));
      return { ...request, body: Buffer.concat([Buffer.from(BODY), forged.appended]) };
    });
    const statuses = [];
    for (const request of bodies) statuses.push((await send(request)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(telemetry.counters.get('WebhookRejected_malformed_body')).toBe(1);
    expect(telemetry.counters.get('WebhookRejected_invalid_signature')).toBe(3);
    expect(inbox.sent).toHaveLength(1);
  });

  it('refuses a legacy-only delivery when the shop requires the timestamped signature', async () => {
    const { send, inbox } = ingress(rechargeSource, {
      [SHOP]: { recharge: { clientSecrets: [SECRET], requireTimestampedSignature: true } },
    });
    const legacyOnly = await send(post('/webhooks/recharge', BODY, headers()));
    expect(legacyOnly.statusCode).toBe(401);
    expect(responseJson(legacyOnly)).toEqual({ error: 'missing_signature' });
    const stamped = await send(
      post(
        '/webhooks/recharge',
        BODY,
        headers({ 'x-recharge-webhook-signature': signRechargeTimestamped(BODY, SECRET, NOW_S - 60) }),
      ),
    );
    expect(stamped.statusCode).toBe(200);
    expect(inbox.sent).toHaveLength(1);
  });

  it('answers 400 listing the missing topic header of a correctly signed delivery', async () => {
    const { send, inbox } = ingress(rechargeSource, SECRETS);
    const response = await send(post('/webhooks/recharge', BODY, headers({ 'x-recharge-topic': ' ' })));
    expect(response.statusCode).toBe(400);
    expect(responseJson(response)).toEqual({ error: 'missing_headers', missing: ['x-recharge-topic'] });
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 401 without a shop header (nothing says whose secret to check), or for a shop without Recharge', async () => {
    const { send, inbox, telemetry } = ingress(rechargeSource, {
      ...SECRETS,
      'other.myshopify.com': { shopify: { clientSecrets: ['x'] } },
    });
    const noShop = await send(
      post('/webhooks/recharge', BODY, headers({ 'x-recharge-external-platform-domain': '' })),
    );
    expect(noShop.statusCode).toBe(401);
    expect(responseJson(noShop)).toEqual({ error: 'unknown_shop' });
    const noRecharge = await send(
      post(
        '/webhooks/recharge',
        BODY,
        headers({ 'x-recharge-external-platform-domain': 'other.myshopify.com' }),
      ),
    );
    expect(noRecharge.statusCode).toBe(401);
    expect(responseJson(noRecharge)).toEqual({ error: 'not_configured' });
    expect(telemetry.counters.get('WebhookRejected_not_configured')).toBe(1);
    expect(inbox.sent).toHaveLength(0);
  });
});
