import { verifyShopifySignature } from '../signatures/shopify-signature.js';
import { missingHeaders, type WebhookSource } from './webhook-source.js';

const REQUIRED = ['x-shopify-topic', 'x-shopify-shop-domain', 'x-shopify-webhook-id'] as const;

/**
 * Shopify HTTPS deliveries: HMAC over the raw body first (mandatory compliance topics must answer 401 on a bad
 * signature, so a missing signature is a 401 too), then the topic, shop and webhook-id headers.
 */
export const shopifySource: WebhookSource = {
  name: 'shopify',
  accept(request, secrets) {
    const secretList = secrets.shopify?.clientSecrets ?? [];
    if (secretList.length === 0) return { ok: false, reason: 'not_configured' };
    const signature = verifyShopifySignature(
      request.body,
      request.headers['x-shopify-hmac-sha256'],
      secretList,
    );
    if (!signature.ok) return signature;
    const missing = missingHeaders(request.headers, REQUIRED);
    if (missing.length > 0) return { ok: false, reason: 'missing_headers', missing };
    const h = request.headers;
    return {
      ok: true,
      meta: {
        topic: (h['x-shopify-topic'] ?? '').trim(),
        shop: (h['x-shopify-shop-domain'] ?? '').trim().toLowerCase(),
        deliveryId: (h['x-shopify-webhook-id'] ?? '').trim(),
        eventId: h['x-shopify-event-id'],
        apiVersion: h['x-shopify-api-version'],
        triggeredAt: h['x-shopify-triggered-at'],
      },
    };
  },
};
