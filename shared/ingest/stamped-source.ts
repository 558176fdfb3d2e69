import { verifyStampedSecret } from '../signatures/stamped-signature.js';
import { bodyDeliveryId, missingParts, parseVerifiedObject, textField } from './verified-body.js';
import { claimedShop, type WebhookSource } from './webhook-source.js';

/** The connector's topic for a Stamped review push (Stamped's own `X-Stamped-Topic` values are undocumented). */
export const STAMPED_REVIEW_TOPIC = 'review/created';

const isReview = (body: Record<string, unknown> | undefined): boolean =>
  body !== undefined && body.id !== undefined && body.reviewRating !== undefined && 'reviewMessage' in body;

/** Where a host ends in a URL without its scheme: at the first `/`, `?` or `#`, else at the end of the text. */
const hostEnd = (text: string): number =>
  ['/', '?', '#'].reduce((end, mark) => {
    const at = text.indexOf(mark);
    return at !== -1 && at < end ? at : end;
  }, text.length);

/**
 * The store host from `X-Stamped-Store-Url` (`https://shop.example.com/` → `shop.example.com`). Cut with
 * indexOf/slice: a pattern such as `[/?#].*$` backtracks quadratically on a header of repeated separators.
 */
export const stampedShop = (storeUrl: string | undefined): string | undefined => {
  const text = storeUrl?.trim() ?? '';
  const rest = text.slice(/^[a-z]+:\/\//i.exec(text)?.[0].length ?? 0);
  const host = rest.slice(0, hostEnd(rest)).toLowerCase();
  return host ? host : undefined;
};

/**
 * Stamped deliveries. Stamped signs nothing and its review body names no store: the echoed secret is the only
 * proof, and `X-Stamped-Store-Url` (the shop's myshopify or configured custom domain) selects whose secrets it must
 * equal, so one shop's secret cannot deliver as another shop. The values of `X-Stamped-Topic` are undocumented and
 * older pushes omit it, so after the secret passed a body with the review shape (id, reviewRating, reviewMessage)
 * is topic `review/created`; anything else keeps the header's topic (or `unknown`) and is acknowledged and ignored
 * downstream. No delivery id is sent: a hash of topic and body is used.
 */
export const stampedSource: WebhookSource = {
  name: 'stamped',
  accept(request, context) {
    const h = request.headers;
    const bound = claimedShop(context, 'stamped', stampedShop(h['x-stamped-store-url']));
    if (!bound.ok) return bound;
    const signature = verifyStampedSecret(
      [h['x-stamped-webhook-secret'], h['x-secret-key']],
      bound.secrets.secrets,
    );
    if (!signature.ok) return signature;
    const body = parseVerifiedObject(request.body);
    if (!body) return missingParts(['body']);
    const topic = isReview(body)
      ? STAMPED_REVIEW_TOPIC
      : (textField(h['x-stamped-topic'])?.toLowerCase() ?? 'unknown');
    return { ok: true, meta: { topic, shop: bound.shop, deliveryId: bodyDeliveryId(topic, request.body) } };
  },
};
