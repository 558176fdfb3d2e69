import { randomUUID } from 'node:crypto';
import { LOCAL_DEFAULTS, LOCAL_PLATFORM_SECRETS, localShopifySecret } from '../../local/local-config.js';
import { signJudgemeBody } from '../../shared/signatures/judgeme-signature.js';
import { signOkendoBody } from '../../shared/signatures/okendo-signature.js';
import { signRechargeLegacy, signRechargeTimestamped } from '../../shared/signatures/recharge-signature.js';
import { signShopifyBody } from '../../shared/signatures/shopify-signature.js';

/**
 * HTTP requests exactly as each platform sends them to the local stack (signed with the local secrets of
 * local/local-config.ts unless told otherwise), for tests that drive the real ingest path: the chaos run and the
 * hostile-input catalogue.
 */
export interface PlatformRequest {
  readonly method?: string;
  /** Path under the API URL, e.g. `/webhooks/shopify`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A Shopify delivery: HMAC over the raw bytes, topic, shop, webhook id, event id, API version, trigger time. */
export const shopifyRequest = (
  topic: string,
  body: string | Buffer,
  options: {
    readonly webhookId: string;
    readonly eventId?: string;
    readonly shop?: string;
    readonly secret?: string;
    readonly triggeredAt?: string;
  },
): PlatformRequest => ({
  path: '/webhooks/shopify',
  headers: {
    ...JSON_TYPE,
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': signShopifyBody(body, options.secret ?? localShopifySecret()),
    'x-shopify-shop-domain': options.shop ?? LOCAL_DEFAULTS.shop,
    'x-shopify-webhook-id': options.webhookId,
    'x-shopify-event-id': options.eventId ?? randomUUID(),
    'x-shopify-api-version': '2026-07',
    'x-shopify-triggered-at': options.triggeredAt ?? new Date().toISOString(),
  },
  body,
});

/** A Recharge delivery, signed the timestamped way (default) or with the legacy hash. */
export const rechargeRequest = (
  topic: string,
  body: string | Buffer,
  options: {
    readonly scheme?: 'timestamped' | 'legacy';
    readonly at?: Date;
    readonly shop?: string;
    readonly secret?: string;
  } = {},
): PlatformRequest => {
  const secret = options.secret ?? LOCAL_PLATFORM_SECRETS.recharge.clientSecrets[0];
  const epoch = Math.floor((options.at ?? new Date()).getTime() / 1000);
  return {
    path: '/webhooks/recharge',
    headers: {
      ...JSON_TYPE,
      'x-recharge-topic': topic,
      'x-recharge-external-platform-domain': options.shop ?? LOCAL_DEFAULTS.shop,
      'x-recharge-version': '2021-11',
      ...(options.scheme === 'legacy'
        ? { 'x-recharge-hmac-sha256': signRechargeLegacy(body, secret) }
        : { 'x-recharge-webhook-signature': signRechargeTimestamped(body, secret, epoch) }),
    },
    body,
  };
};

/** A Judge.me delivery: hex HMAC of the raw body (topic and shop are inside the body). */
export const judgemeRequest = (body: string | Buffer, secret?: string): PlatformRequest => ({
  path: '/webhooks/judgeme',
  headers: {
    ...JSON_TYPE,
    'judgeme-hmac-sha256': signJudgemeBody(body, secret ?? LOCAL_PLATFORM_SECRETS.judgeme.secrets[0]),
  },
  body,
});

/** An Okendo delivery through Svix: message id, timestamp and `v1,` signature headers. */
export const okendoRequest = (
  body: string | Buffer,
  options: { readonly id: string; readonly at?: Date; readonly secret?: string },
): PlatformRequest => {
  const epoch = Math.floor((options.at ?? new Date()).getTime() / 1000);
  const secret = options.secret ?? LOCAL_PLATFORM_SECRETS.okendo.secrets[0];
  return {
    path: '/webhooks/okendo',
    headers: {
      ...JSON_TYPE,
      'svix-id': options.id,
      'svix-timestamp': String(epoch),
      'svix-signature': signOkendoBody(body, secret, options.id, epoch),
    },
    body,
  };
};

/** A Stamped delivery: the echoed secret and the store URL that names the shop. */
export const stampedRequest = (
  body: string | Buffer,
  options: { readonly storeUrl?: string; readonly secret?: string } = {},
): PlatformRequest => ({
  path: '/webhooks/stamped',
  headers: {
    ...JSON_TYPE,
    'x-stamped-webhook-secret': options.secret ?? LOCAL_PLATFORM_SECRETS.stamped.secrets[0],
    'x-stamped-store-url': options.storeUrl ?? `https://${LOCAL_DEFAULTS.shop}/`,
  },
  body,
});

/** A Yotpo delivery: the secret token in the URL. */
export const yotpoRequest = (body: string | Buffer, token?: string): PlatformRequest => ({
  path: `/webhooks/yotpo/${token ?? LOCAL_PLATFORM_SECRETS.yotpo.tokens[0]}`,
  headers: JSON_TYPE,
  body,
});

/** A storefront beacon from the local shop's origin, as the custom pixel posts it (text/plain: no preflight). */
export const beaconRequest = (
  beacon: unknown,
  options: { readonly origin?: string; readonly contentType?: string } = {},
): PlatformRequest => ({
  path: '/collect',
  headers: {
    'content-type': options.contentType ?? 'text/plain;charset=UTF-8',
    origin: options.origin ?? LOCAL_DEFAULTS.storefrontOrigin,
  },
  body: typeof beacon === 'string' ? beacon : JSON.stringify(beacon),
});

/** Sends a platform request to the local stack; rejects when no answer comes within `timeoutMs`. */
export const sendPlatformRequest = (
  apiUrl: string,
  request: PlatformRequest,
  timeoutMs = 10_000,
): Promise<Response> =>
  fetch(`${apiUrl}${request.path}`, {
    method: request.method ?? 'POST',
    headers: request.headers,
    body: request.method === 'OPTIONS' || request.method === 'GET' ? undefined : request.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
