import { asError, ConnectorError } from '../errors.js';
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
  readonly secrets: SecretProvider;
  readonly inbox: MessageQueue;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
  readonly telemetry: Telemetry;
}

const ROUTE = /^\/webhooks\/([a-z]+)(?:\/([A-Za-z0-9_-]{8,128}))?\/?$/;

const STATUS_BY_REASON: Record<RejectReason, number> = {
  missing_signature: 401,
  malformed_signature: 401,
  invalid_signature: 401,
  stale_timestamp: 401,
  missing_secret: 500,
  not_configured: 500,
  missing_headers: 400,
};

/**
 * Accepts one webhook delivery: routes by source, caps the size, verifies the signature over the raw bytes,
 * checks the required headers, queues the envelope and answers at once. Nothing is parsed before the signature.
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
  let secrets: Awaited<ReturnType<SecretProvider['get']>>;
  try {
    secrets = await deps.secrets.get();
  } catch (error) {
    log.error('secrets unavailable', { source: source.name, error: asError(error).name });
    return jsonResponse(503, { error: 'temporarily_unavailable' }, { 'retry-after': '5' });
  }
  const accepted = source.accept(request, secrets, now, match?.[2]);
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
  let queued: Awaited<ReturnType<typeof enqueueEnvelope>>;
  try {
    queued = await enqueueEnvelope(deps.inbox, envelope);
  } catch (error) {
    const err = asError(error);
    log.error('enqueue failed', {
      source: source.name,
      error: err instanceof ConnectorError ? err.code : err.name,
    });
    counters.count('WebhookEnqueueFailed');
    return jsonResponse(503, { error: 'temporarily_unavailable' }, { 'retry-after': '5' });
  }
  if (queued === 'too_large') {
    // A body under the cap can still make a message past what SQS takes; retrying could never succeed, so refuse it.
    counters.count('WebhookTooLarge');
    return jsonResponse(413, { error: 'payload_too_large', max_bytes: deps.maxBodyBytes });
  }
  counters.count('WebhookAccepted');
  log.info('webhook accepted', {
    source: source.name,
    topic: accepted.meta.topic,
    delivery_id: accepted.meta.deliveryId,
  });
  return jsonResponse(200, { ok: true });
};
