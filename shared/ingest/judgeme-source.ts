import { verifyJudgemeSignature } from '../signatures/judgeme-signature.js';
import { bodyDeliveryId, missingParts, parseVerifiedObject, textField } from './verified-body.js';
import type { WebhookSource } from './webhook-source.js';

/**
 * Judge.me deliveries: HMAC over the raw body first. Judge.me documents no topic header and the shop header
 * (`x-judgeme-shop-domain`) is unconfirmed, so after the signature passed the body's `event` is the topic and its
 * `shop_domain` the shop (the signed body wins over the unsigned header). No delivery id is sent: a hash of topic and body is used.
 */
export const judgemeSource: WebhookSource = {
  name: 'judgeme',
  accept(request, secrets) {
    const secretList = secrets.judgeme?.secrets ?? [];
    if (secretList.length === 0) return { ok: false, reason: 'not_configured' };
    const signature = verifyJudgemeSignature(
      request.body,
      request.headers['judgeme-hmac-sha256'],
      secretList,
    );
    if (!signature.ok) return signature;
    const body = parseVerifiedObject(request.body);
    const topic = textField(body?.event)?.toLowerCase();
    const shop = (
      textField(body?.shop_domain) ?? textField(request.headers['x-judgeme-shop-domain'])
    )?.toLowerCase();
    if (!topic || !shop) {
      return missingParts([...(topic ? [] : ['event']), ...(shop ? [] : ['shop_domain'])]);
    }
    return { ok: true, meta: { topic, shop, deliveryId: bodyDeliveryId(topic, request.body) } };
  },
};
