import { verifyYotpoToken } from '../signatures/yotpo-signature.js';
import { bodyDeliveryId, missingParts, parseVerifiedObject, textField } from './verified-body.js';
import type { WebhookSource } from './webhook-source.js';

/**
 * Yotpo deliveries: the secret token in the URL path (`/webhooks/yotpo/{token}`) first, since Yotpo signs nothing.
 * Yotpo sends no topic or shop header, so after the token passed the body's `event` is the topic and
 * `data.app_key` (the Yotpo store key) the shop. No delivery id is sent: a hash of topic and body is used.
 */
export const yotpoSource: WebhookSource = {
  name: 'yotpo',
  accept(request, secrets, _now, pathToken) {
    const tokens = secrets.yotpo?.tokens ?? [];
    if (tokens.length === 0) return { ok: false, reason: 'not_configured' };
    const token = verifyYotpoToken(pathToken, tokens);
    if (!token.ok) return token;
    const body = parseVerifiedObject(request.body);
    const topic = textField(body?.event)?.toLowerCase();
    const data = body?.data;
    const appKey =
      typeof data === 'object' && data !== null
        ? textField((data as Record<string, unknown>).app_key)
        : undefined;
    if (!topic || !appKey) {
      return missingParts([...(topic ? [] : ['event']), ...(appKey ? [] : ['data.app_key'])]);
    }
    return { ok: true, meta: { topic, shop: appKey, deliveryId: bodyDeliveryId(topic, request.body) } };
  },
};
