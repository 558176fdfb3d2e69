import { svixHeaders, verifyOkendoSignature } from '../signatures/okendo-signature.js';
import { missingParts, parseVerifiedObject, textField } from './verified-body.js';
import type { WebhookSource } from './webhook-source.js';

/**
 * Okendo deliveries, signed through Svix (`svix-*` or Standard Webhooks `webhook-*` headers). The message id is
 * the delivery id (Svix keeps it across retries). Okendo sends no topic or shop header, so after the signature
 * passed the topic is `<resourceType>.<topic>` from the body (e.g. `review.create`) and the shop is the
 * Okendo store (`resource.subscriberId`), the only store identifier in the payload.
 */
export const okendoSource: WebhookSource = {
  name: 'okendo',
  accept(request, secrets, now) {
    const secretList = secrets.okendo?.secrets ?? [];
    if (secretList.length === 0) return { ok: false, reason: 'not_configured' };
    const headers = svixHeaders(request.headers);
    const signature = verifyOkendoSignature(request.body, headers, secretList, now);
    if (!signature.ok) return signature;
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
    const version = textField(body?.version);
    return {
      ok: true,
      meta: {
        topic: `${resourceType}.${action}`.toLowerCase(),
        shop: subscriber.toLowerCase(),
        deliveryId: (headers.id ?? '').trim(),
        ...(version ? { apiVersion: version } : {}),
        triggeredAt: new Date(Number(headers.timestamp) * 1000).toISOString(),
      },
    };
  },
};
