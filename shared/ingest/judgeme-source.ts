import { parseJsonLossless } from '../json/lossless-json.js';
import { verifyJudgemeSignature } from '../signatures/judgeme-signature.js';
import { sha256 } from '../signatures/signature-result.js';
import type { AcceptResult, WebhookSource } from './webhook-source.js';

/**
 * Parses a body whose signature has already passed, for platforms that put the topic or the shop only in the body.
 * Undefined when it is not a JSON object. Never call it before the signature check.
 */
export const parseVerifiedObject = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    const value = parseJsonLossless(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** A trimmed non-empty string field, or undefined. */
export const textField = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** Refuses a delivery whose verified body lacks the parts routing needs. */
export const missingParts = (missing: readonly string[]): AcceptResult => ({
  ok: false,
  reason: 'missing_headers',
  missing,
});

/** A delivery id for platforms that send none: retries resend the same bytes, so they hash alike. */
export const bodyDeliveryId = (topic: string, body: Buffer): string =>
  sha256(topic, '\n', body).toString('hex');

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
