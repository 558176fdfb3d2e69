import { svixHeaders, verifyOkendoSignature } from '../signatures/okendo-signature.js';
import { missingParts, parseVerifiedObject, textField } from './verified-body.js';
import { verifyingShops, type WebhookSource } from './webhook-source.js';

/**
 * Okendo deliveries, signed through Svix (`svix-*` or Standard Webhooks `webhook-*` headers) with a secret per
 * subscription, checked against every configured shop's Okendo secrets. Okendo sends no topic or shop header and
 * its payload names no Shopify domain, only the Okendo store (`resource.subscriberId`): after the signature passed,
 * that store must be the configured `subscriberId` of a shop whose secret verified the body, and the delivery is
 * that shop's. The topic is `<resourceType>.<topic>` (e.g. `review.create`); the message id is the delivery id
 * (Svix keeps it across retries).
 */
export const okendoSource: WebhookSource = {
  name: 'okendo',
  accept(request, context) {
    const headers = svixHeaders(request.headers);
    const verified = verifyingShops(context, 'okendo', (secrets) =>
      verifyOkendoSignature(request.body, headers, secrets.secrets, context.now),
    );
    if (!verified.ok) return verified;
    const body = parseVerifiedObject(request.body);
    const resourceType = textField(body?.resourceType);
    const action = textField(body?.topic);
    const resource = body?.resource;
    const subscriber =
      typeof resource === 'object' && resource !== null
        ? textField((resource as Record<string, unknown>).subscriberId)
        : undefined;
    if (!resourceType || !action || !subscriber) {
      return missingParts([
        ...(resourceType ? [] : ['resourceType']),
        ...(action ? [] : ['topic']),
        ...(subscriber ? [] : ['resource.subscriberId']),
      ]);
    }
    const shop = verified.shops.find(
      (candidate) => context.secrets.shops[candidate]?.okendo?.subscriberId === subscriber,
    );
    if (shop === undefined) return { ok: false, reason: 'shop_mismatch' };
    const version = textField(body?.version);
    return {
      ok: true,
      meta: {
        topic: `${resourceType}.${action}`.toLowerCase(),
        shop,
        deliveryId: (headers.id ?? '').trim(),
        ...(version ? { apiVersion: version } : {}),
        triggeredAt: new Date(Number(headers.timestamp) * 1000).toISOString(),
      },
    };
  },
};
