import { verifyShopifySignature } from '../signatures/shopify-signature.js';
import { parseVerifiedObject, textField } from './verified-body.js';
import { claimedShop, missingHeaders, type WebhookSource } from './webhook-source.js';

const REQUIRED = ['x-shopify-topic', 'x-shopify-webhook-id'] as const;

/** Mandatory compliance topics: their signed payload names the shop (`shop_domain`), so it is checked too. */
const COMPLIANCE_TOPICS = new Set(['customers/redact', 'customers/data_request', 'shop/redact']);

/**
 * Shopify HTTPS deliveries. The unsigned `X-Shopify-Shop-Domain` only selects which configured shop's client
 * secrets to try (normalized first; an unconfigured shop is refused), then the HMAC over the raw body must verify
 * with them (mandatory compliance topics must answer 401 on a bad signature, so a missing one is a 401 too), then
 * the topic and webhook-id headers. A compliance payload naming another shop is refused.
 */
export const shopifySource: WebhookSource = {
  name: 'shopify',
  accept(request, context) {
    const h = request.headers;
    const bound = claimedShop(context, 'shopify', h['x-shopify-shop-domain']);
    if (!bound.ok) return bound;
    const signature = verifyShopifySignature(
      request.body,
      h['x-shopify-hmac-sha256'],
      bound.secrets.clientSecrets,
    );
    if (!signature.ok) return signature;
    const missing = missingHeaders(h, REQUIRED);
    if (missing.length > 0) return { ok: false, reason: 'missing_headers', missing };
    const topic = (h['x-shopify-topic'] ?? '').trim();
    if (COMPLIANCE_TOPICS.has(topic)) {
      const named = textField(parseVerifiedObject(request.body)?.shop_domain);
      if (named !== undefined && context.shops.resolve(named) !== bound.shop) {
        return { ok: false, reason: 'shop_mismatch' };
      }
    }
    return {
      ok: true,
      meta: {
        topic,
        shop: bound.shop,
        deliveryId: (h['x-shopify-webhook-id'] ?? '').trim(),
        eventId: h['x-shopify-event-id'],
        apiVersion: h['x-shopify-api-version'],
        triggeredAt: h['x-shopify-triggered-at'],
      },
    };
  },
};
