import { verifyJudgemeSignature } from '../signatures/judgeme-signature.js';
import { bodyDeliveryId, missingParts, parseVerifiedObject, textField } from './verified-body.js';
import { verifyingShops, type WebhookSource } from './webhook-source.js';

/**
 * Judge.me deliveries: the HMAC over the raw body is checked against every configured shop's Judge.me secrets
 * first. Judge.me documents no topic header and the shop header (`x-judgeme-shop-domain`) is unconfirmed and
 * unsigned, so after the signature passed the body's `event` is the topic and its `shop_domain` the shop, which
 * must be one of the shops whose secret verified the body (an OAuth app secret may serve several shops; a shop's
 * private token only its own). No delivery id is sent: a hash of topic and body is used.
 */
export const judgemeSource: WebhookSource = {
  name: 'judgeme',
  accept(request, context) {
    const verified = verifyingShops(context, 'judgeme', (secrets) =>
      verifyJudgemeSignature(request.body, request.headers['judgeme-hmac-sha256'], secrets.secrets),
    );
    if (!verified.ok) return verified;
    const body = parseVerifiedObject(request.body);
    const topic = textField(body?.event)?.toLowerCase();
    const named = textField(body?.shop_domain);
    if (!topic || !named) {
      return missingParts([...(topic ? [] : ['event']), ...(named ? [] : ['shop_domain'])]);
    }
    const shop = context.shops.resolve(named);
    if (shop === undefined || !verified.shops.includes(shop)) return { ok: false, reason: 'shop_mismatch' };
    return { ok: true, meta: { topic, shop, deliveryId: bodyDeliveryId(topic, request.body) } };
  },
};
