import { verifyRechargeSignature } from '../signatures/recharge-signature.js';
import { bodyDeliveryId } from './verified-body.js';
import { claimedShop, missingHeaders, type WebhookSource } from './webhook-source.js';

const REQUIRED = ['x-recharge-topic'] as const;

const triggeredAt = (signatureHeader: string | undefined, timestampHeader: string | undefined) => {
  const t = /(?:^|,)\s*t=(\d{1,12})\s*(?:,|$)/.exec(signatureHeader ?? '')?.[1] ?? timestampHeader?.trim();
  return t && /^\d{1,12}$/.test(t) ? new Date(Number(t) * 1000).toISOString() : undefined;
};

/**
 * Recharge deliveries. Recharge payloads name no shop, so the unsigned `X-Recharge-External-Platform-Domain`
 * selects the configured shop whose client secrets must verify the delivery (a secret belongs to one shop, so a
 * delivery signed for one shop cannot pass as another's). The timestamped signature when sent, else the legacy
 * hash of a body that must be exactly one JSON document; then the topic header. Recharge sends no delivery id, so
 * a retry is recognised by hex SHA-256(topic + "\n" + raw body): retries resend the same bytes, and any real change
 * moves `updated_at` in the body.
 */
export const rechargeSource: WebhookSource = {
  name: 'recharge',
  accept(request, context) {
    const h = request.headers;
    const bound = claimedShop(context, 'recharge', h['x-recharge-external-platform-domain']);
    if (!bound.ok) return bound;
    const signature = verifyRechargeSignature(
      request.body,
      {
        legacy: h['x-recharge-hmac-sha256'],
        timestamped: h['x-recharge-webhook-signature'],
        timestamp: h['x-recharge-webhook-timestamp'],
      },
      bound.secrets.clientSecrets,
      context.now,
      { requireTimestamped: bound.secrets.requireTimestampedSignature ?? false },
    );
    if (!signature.ok) return signature;
    const missing = missingHeaders(h, REQUIRED);
    if (missing.length > 0) return { ok: false, reason: 'missing_headers', missing };
    const topic = (h['x-recharge-topic'] ?? '').trim().toLowerCase();
    const at = triggeredAt(h['x-recharge-webhook-signature'], h['x-recharge-webhook-timestamp']);
    const apiVersion = h['x-recharge-version']?.trim();
    return {
      ok: true,
      meta: {
        topic,
        shop: bound.shop,
        deliveryId: bodyDeliveryId(topic, request.body),
        ...(apiVersion ? { apiVersion } : {}),
        ...(at ? { triggeredAt: at } : {}),
      },
    };
  },
};
