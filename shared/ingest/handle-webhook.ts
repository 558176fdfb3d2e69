import type { WebhookSecrets } from '../config/secrets.js';
import type { ShopDirectory } from '../config/shops.js';
import { classifyFailure } from '../failures/classify-failure.js';
import { type HttpRequest, type HttpResponse, jsonResponse } from '../http/http-types.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { SecretProvider } from '../ports/secret-provider.js';
import type { Telemetry } from '../ports/telemetry.js';
import { isoString } from '../time/iso-time.js';
import type { WebhookEnvelope } from './envelope.js';
import { enqueueEnvelope } from './inbox-message.js';
import type { RejectReason, WebhookSource } from './webhook-source.js';

/** What the webhook ingress core needs. */
export interface WebhookIngressDeps {
  readonly sources: ReadonlyMap<string, WebhookSource>;
  /** The webhook-verification secret, keyed by shop. */
  readonly secrets: SecretProvider<WebhookSecrets>;
  /** The configured shops: a delivery for any other shop is refused. */
  readonly shops: ShopDirectory;
  readonly inbox: MessageQueue;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
  readonly telemetry: Telemetry;
}

const ROUTE = /^\/webhooks\/([a-z]+)(?:\/([A-Za-z0-9_-]{8,128}))?\/?$/;

/**
 * Every delivery that cannot be proven to come from a configured shop's platform account answers 401: a bad or
 * missing signature, a shop that is not configured (or has no secret for this platform: nothing can verify it),
 * a payload naming another shop than the secret's. Shopify and Recharge retry any non-2xx for hours (Shopify 8
 * times over 4 h), so a shop the operator forgot to configure loses nothing if fixed in time; a 401 also keeps
 * Shopify's compliance-webhook rule (an unverifiable HMAC answers 401), and nothing an outsider sends can raise
 * the ingest 5xx alarm. Every refusal is counted as `WebhookRejected_<reason>` and never queued.
 */
const STATUS_BY_REASON: Record<RejectReason, number> = {
  missing_signature: 401,
  malformed_signature: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  malformed_body: 401,
  unknown_shop: 401,
  not_configured: 401,
  shop_mismatch: 401,
  missing_secret: 500,
  missing_headers: 400,
};

/**
 * Accepts one webhook delivery: routes by source, caps the size, binds the delivery to a configured shop and
 * verifies the signature over the raw bytes with that shop's secret, checks the required headers, queues the
 * envelope and answers at once. Nothing is parsed before the signature.
 */
export const handleWebhook = async (
  request: HttpRequest,
  deps: WebhookIngressDeps,
): Promise<HttpResponse> => {
  const { log, counters } = deps.telemetry;
  const match = ROUTE.exec(request.path);
  const source = match?.[1] ? deps.sources.get(match[1]) : undefined;
  if (!source) return jsonResponse(404, { error: 'unknown_route' });
  if (request.method !== 'POST') return jsonResponse(405, { error: 'method_not_allowed' }, { allow: 'POST' });
  if (request.body.length > deps.maxBodyBytes) {
    counters.count('WebhookTooLarge');
    return jsonResponse(413, { error: 'payload_too_large', max_bytes: deps.maxBodyBytes });
  }
  const now = deps.clock();
  let secrets: WebhookSecrets;
  try {
    secrets = await deps.secrets.get();
  } catch (error) {
    // The reason names a broken rule of the secret document by its path, never a value (scrubbed).
    const failure = classifyFailure(error);
    log.error('secrets unavailable', { source: source.name, code: failure.code, reason: failure.reason });
    return jsonResponse(503, { error: 'temporarily_unavailable' }, { 'retry-after': '5' });
  }
  const accepted = source.accept(request, {
    secrets,
    shops: deps.shops,
    now,
    ...(match?.[2] ? { pathToken: match[2] } : {}),
  });
  if (!accepted.ok) {
    counters.count(`WebhookRejected_${accepted.reason}`);
    log.warn('webhook rejected', {
      source: source.name,
      reason: accepted.reason,
      missing: accepted.missing?.join(','),
    });
    const status = STATUS_BY_REASON[accepted.reason];
    if (status >= 500) return jsonResponse(500, { error: 'internal_error' });
    return jsonResponse(status, {
      error: accepted.reason,
      ...(accepted.missing ? { missing: accepted.missing } : {}),
    });
  }
  const envelope: WebhookEnvelope = {
    version: 1,
    source: source.name,
    ...accepted.meta,
    receivedAt: isoString(now.getTime()),
    signed: true,
    body: request.body.toString('utf8'),
  };
  const correlation = { delivery_id: accepted.meta.deliveryId, event_id: accepted.meta.eventId };
  let queued: Awaited<ReturnType<typeof enqueueEnvelope>>;
  try {
    queued = await enqueueEnvelope(deps.inbox, envelope);
  } catch (error) {
    const failure = classifyFailure(error);
    log.error('enqueue failed', {
      source: source.name,
      ...correlation,
      code: failure.code,
      reason: failure.reason,
    });
    counters.count('WebhookEnqueueFailed');
    // Only a transient failure asks the platform to come back; retrying a refused message could never succeed.
    return failure.class === 'transient'
      ? jsonResponse(503, { error: 'temporarily_unavailable' }, { 'retry-after': '5' })
      : jsonResponse(500, { error: 'internal_error' });
  }
  if (queued === 'too_large') {
    // Escaping can grow a body under the cap past what SQS takes; retrying could never succeed, so refuse it.
    counters.count('WebhookTooLarge');
    return jsonResponse(413, { error: 'payload_too_large', max_bytes: deps.maxBodyBytes });
  }
  counters.count('WebhookAccepted');
  log.info('webhook accepted', { source: source.name, topic: accepted.meta.topic, ...correlation });
  return jsonResponse(200, { ok: true });
};
