import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS, localShopifySecret } from '../../local/local-config.js';
import type { HttpRequest } from '../../shared/http/http-types.js';
import { signJudgemeBody } from '../../shared/signatures/judgeme-signature.js';
import { signRechargeLegacy } from '../../shared/signatures/recharge-signature.js';
import { signShopifyBody } from '../../shared/signatures/shopify-signature.js';
import { readSample } from '../../test/helpers/fixtures.js';

/** The shop every request of the bench is for (the local stack's configured shop). */
const BENCH_SHOP = LOCAL_DEFAULTS.shop;

const post = (path: string, body: string, headers: Record<string, string>): HttpRequest => ({
  method: 'POST',
  path,
  query: {},
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(body),
});

/** Points a payload's own shop field at the bench shop (compliance and review payloads name their shop). */
const withShop = (body: string, field: string): string =>
  body.replace(new RegExp(`"${field}"\\s*:\\s*"[^"]*"`), `"${field}": "${BENCH_SHOP}"`);

/** A Shopify delivery of `body` as Shopify sends it (raw bytes signed; webhook id stable across its retries). */
export const shopifyRequest = (
  topic: string,
  body: string,
  webhookId: string,
  eventId = webhookId,
): HttpRequest =>
  post('/webhooks/shopify', withShop(body, 'shop_domain'), {
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': signShopifyBody(withShop(body, 'shop_domain'), localShopifySecret()),
    'x-shopify-shop-domain': BENCH_SHOP,
    'x-shopify-webhook-id': webhookId,
    'x-shopify-event-id': eventId,
    'x-shopify-api-version': '2026-07',
    'x-shopify-triggered-at': new Date().toISOString(),
  });

/** A Recharge delivery with the legacy body signature (the timestamped one costs the same downstream). */
export const rechargeRequest = (topic: string, body: string): HttpRequest =>
  post('/webhooks/recharge', body, {
    'x-recharge-topic': topic,
    'x-recharge-external-platform-domain': BENCH_SHOP,
    'x-recharge-hmac-sha256': signRechargeLegacy(body, LOCAL_PLATFORM_SECRETS.recharge.clientSecrets[0]),
  });

/** The Judge.me review sample, for the bench shop. */
export const judgemeRequest = (): HttpRequest => {
  const body = withShop(readSample('judgeme/review-created.json'), 'shop_domain');
  return post('/webhooks/judgeme', body, {
    'judgeme-hmac-sha256': signJudgemeBody(body, LOCAL_PLATFORM_SECRETS.judgeme.secrets[0]),
  });
};

/** The Stamped review sample, with the store URL header and the echoed secret Stamped sends. */
export const stampedRequest = (): HttpRequest =>
  post('/webhooks/stamped', readSample('stamped/review-created.json'), {
    'x-stamped-store-url': `https://${BENCH_SHOP}/`,
    'x-stamped-webhook-secret': LOCAL_PLATFORM_SECRETS.stamped.secrets[0],
  });

/** The Yotpo review sample, its app key the bench shop's, posted to the shop's secret URL. */
export const yotpoRequest = (): HttpRequest =>
  post(
    `/webhooks/yotpo/${LOCAL_PLATFORM_SECRETS.yotpo.tokens[0]}`,
    withShop(readSample('yotpo/review-create.json'), 'app_key').replace(
      BENCH_SHOP,
      LOCAL_PLATFORM_SECRETS.yotpo.appKey,
    ),
    {},
  );

/** A storefront beacon as the custom pixel posts it: the standard event, a fresh id, the browser's client id. */
export const beaconRequest = (event: Record<string, unknown>): HttpRequest => ({
  method: 'POST',
  path: '/collect',
  query: {},
  headers: { 'content-type': 'text/plain;charset=UTF-8', origin: LOCAL_DEFAULTS.storefrontOrigin },
  body: Buffer.from(JSON.stringify({ shop: BENCH_SHOP, key: LOCAL_DEFAULTS.storefrontKey, event })),
});
