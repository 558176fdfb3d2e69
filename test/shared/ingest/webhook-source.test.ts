import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../../shared/http/http-types.js';
import { judgemeSource } from '../../../shared/ingest/judgeme-source.js';
import { okendoSource } from '../../../shared/ingest/okendo-source.js';
import { rechargeSource } from '../../../shared/ingest/recharge-source.js';
import { stampedSource } from '../../../shared/ingest/stamped-source.js';
import type { WebhookSource } from '../../../shared/ingest/webhook-source.js';
import { yotpoSource } from '../../../shared/ingest/yotpo-source.js';
import { signJudgemeBody } from '../../../shared/signatures/judgeme-signature.js';
import { signOkendoBody } from '../../../shared/signatures/okendo-signature.js';
import { signRechargeLegacy } from '../../../shared/signatures/recharge-signature.js';
import { testShops } from '../../helpers/fakes.js';
import { readRechargeSample } from '../../helpers/recharge-envelope.js';
import { OKENDO_REVIEW_CREATE, readReviewSample } from '../../helpers/reviews-envelope.js';
import { INGRESS_NOW, ingress, post, responseJson } from '../../helpers/reviews-ingress.js';

/*
 * Finding 2 of issue 10: shop A's secret verified a payload that names shop B. Two shops, each with its own
 * secrets on every platform; a delivery made with A's secret that names B (in its signed body, its header or
 * its URL) must be refused at the edge, and the same delivery naming A accepted as A's.
 */

const A = 'shop-a.myshopify.com';
const B = 'shop-b.myshopify.com';
const NOW_S = Math.floor(INGRESS_NOW.getTime() / 1000);
const okendoKey = (shop: string) => `whsec_${Buffer.from(`okendo-key-of-${shop}`).toString('base64')}`;
const tokenOf = (shop: string) => `yotpo-token-${shop.split('.')[0]}`;

const secretsOf = (shop: string) => ({
  recharge: { clientSecrets: [`recharge-${shop}`] },
  judgeme: { secrets: [`judgeme-${shop}`] },
  okendo: { secrets: [okendoKey(shop)], subscriberId: `okendo-store-${shop}` },
  stamped: { secrets: [`stamped-${shop}`] },
  yotpo: { tokens: [tokenOf(shop)], appKey: `yotpo-app-${shop}` },
});
const SECRETS = { [A]: secretsOf(A), [B]: secretsOf(B) };

/** A delivery made with `signer`'s secret whose payload, header or URL names `named`. */
type Forge = (signer: string, named: string) => HttpRequest;

const judgeme: Forge = (signer, named) => {
  const body = JSON.stringify({
    ...JSON.parse(readReviewSample('judgeme', 'review-created.json')),
    shop_domain: named,
  });
  return post('/webhooks/judgeme', body, {
    'judgeme-hmac-sha256': signJudgemeBody(body, `judgeme-${signer}`),
  });
};

const okendo: Forge = (signer, named) => {
  const sample = JSON.parse(OKENDO_REVIEW_CREATE) as { resource: Record<string, unknown> };
  const body = JSON.stringify({
    ...sample,
    resource: { ...sample.resource, subscriberId: `okendo-store-${named}` },
  });
  return post('/webhooks/okendo', body, {
    'svix-id': 'msg_1',
    'svix-timestamp': String(NOW_S),
    'svix-signature': signOkendoBody(body, okendoKey(signer), 'msg_1', NOW_S),
  });
};

const stamped: Forge = (signer, named) =>
  post('/webhooks/stamped', readReviewSample('stamped', 'review-created.json'), {
    'x-stamped-webhook-secret': `stamped-${signer}`,
    'x-stamped-store-url': `https://${named}/`,
  });

const yotpo: Forge = (signer, named) => {
  const sample = JSON.parse(readReviewSample('yotpo', 'review-create.json')) as {
    data: Record<string, unknown>;
  };
  const body = JSON.stringify({ ...sample, data: { ...sample.data, app_key: `yotpo-app-${named}` } });
  return post(`/webhooks/yotpo/${tokenOf(signer)}`, body, {});
};

const recharge: Forge = (signer, named) => {
  const body = readRechargeSample('subscription-created.boxesapp.json');
  return post('/webhooks/recharge', body, {
    'x-recharge-topic': 'subscription/created',
    'x-recharge-external-platform-domain': named,
    'x-recharge-hmac-sha256': signRechargeLegacy(body, `recharge-${signer}`),
  });
};

const CASES: [string, WebhookSource, Forge, string][] = [
  ['Judge.me (shop in the signed body)', judgemeSource, judgeme, 'shop_mismatch'],
  ['Okendo (store id in the signed body)', okendoSource, okendo, 'shop_mismatch'],
  ['Yotpo (token in the URL, app key in the body)', yotpoSource, yotpo, 'shop_mismatch'],
  ['Stamped (echoed secret, store url header)', stampedSource, stamped, 'invalid_signature'],
  ['Recharge (signature, platform domain header)', rechargeSource, recharge, 'invalid_signature'],
];

describe('secrets are bound to shops', () => {
  it.each(CASES)(
    "%s: refuses shop A's secret on a delivery naming shop B",
    async (_label, source, forge, reason) => {
      const { send, inbox, telemetry } = ingress(source, SECRETS);
      const response = await send(forge(A, B));
      expect(response.statusCode).toBe(401);
      expect(responseJson(response)).toEqual({ error: reason });
      expect(telemetry.counters.get(`WebhookRejected_${reason}`)).toBe(1);
      expect(inbox.sent).toHaveLength(0);
    },
  );

  it.each(CASES)("%s: accepts each shop's own delivery as that shop", async (_label, source, forge) => {
    const { send, envelopes } = ingress(source, SECRETS);
    expect((await send(forge(A, A))).statusCode).toBe(200);
    expect((await send(forge(B, B))).statusCode).toBe(200);
    expect(envelopes().map((envelope) => envelope.shop)).toEqual([A, B]);
  });

  it.each(CASES)(
    '%s: refuses a shop that is not configured, even with its secret on file',
    async (_label, source, forge) => {
      const { send, inbox } = ingress(source, SECRETS, {
        shops: testShops([B]),
      });
      const response = await send(forge(A, A));
      expect(response.statusCode).toBe(401);
      expect(inbox.sent).toHaveLength(0);
    },
  );
});
