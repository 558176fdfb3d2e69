import { verifyYotpoToken } from '../signatures/yotpo-signature.js';
import { bodyDeliveryId, missingParts, parseVerifiedObject, textField } from './verified-body.js';
import { verifyingShops, type WebhookSource } from './webhook-source.js';

/**
 * Yotpo deliveries. Yotpo signs nothing, so the webhook URL holds a secret token (`/webhooks/yotpo/{token}`) that
 * belongs to one shop: the token both proves the delivery and names its shop. Yotpo sends no topic or shop header,
 * so after the token passed the body's `event` is the topic, and its `data.app_key` must be that shop's Yotpo app
 * key (a payload naming another store is refused). No delivery id is sent: a hash of topic and body is used.
 */
export const yotpoSource: WebhookSource = {
  name: 'yotpo',
  accept(request, context) {
    const verified = verifyingShops(context, 'yotpo', (secrets) =>
      verifyYotpoToken(context.pathToken, secrets.tokens),
    );
    if (!verified.ok) return verified;
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
    const shop = verified.shops.find(
      (candidate) => context.secrets.shops[candidate]?.yotpo?.appKey === appKey,
    );
    if (shop === undefined) return { ok: false, reason: 'shop_mismatch' };
    return { ok: true, meta: { topic, shop, deliveryId: bodyDeliveryId(topic, request.body) } };
  },
};
