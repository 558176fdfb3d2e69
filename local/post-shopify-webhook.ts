import { randomUUID } from 'node:crypto';
import { signShopifyBody } from '../shared/signatures/shopify-signature.js';
import { LOCAL_DEFAULTS, localShopifySecret } from './local-config.js';

/** What a Shopify HTTPS delivery carries besides its body; everything but the topic has a local default. */
export interface ShopifyDeliveryOptions {
  readonly topic: string;
  readonly shop?: string;
  /** Signing secret; defaults to the local stack's. */
  readonly secret?: string;
  /** Stable across retries of one delivery (Shopify's dedupe key); a new one by default. */
  readonly webhookId?: string;
  readonly eventId?: string;
  readonly triggeredAt?: string;
}

/**
 * Posts a body to `<baseUrl>/webhooks/shopify` exactly as Shopify would: the raw bytes signed with HMAC-SHA256 and
 * the topic, shop, webhook id, event id, API version and trigger time headers.
 */
export const postShopifyWebhook = (
  baseUrl: string,
  body: string | Buffer,
  options: ShopifyDeliveryOptions,
): Promise<Response> =>
  fetch(`${baseUrl}/webhooks/shopify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': options.topic,
      'x-shopify-hmac-sha256': signShopifyBody(body, options.secret ?? localShopifySecret()),
      'x-shopify-shop-domain': options.shop ?? LOCAL_DEFAULTS.shop,
      'x-shopify-webhook-id': options.webhookId ?? randomUUID(),
      'x-shopify-event-id': options.eventId ?? randomUUID(),
      'x-shopify-api-version': '2026-07',
      'x-shopify-triggered-at': options.triggeredAt ?? new Date().toISOString(),
    },
    body,
  });
