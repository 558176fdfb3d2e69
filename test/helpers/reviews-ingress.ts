import type { ConnectorSecrets } from '../../shared/config/secrets.js';
import type { HttpRequest, HttpResponse } from '../../shared/http/http-types.js';
import { type WebhookEnvelope, WebhookEnvelopeSchema } from '../../shared/ingest/envelope.js';
import { handleWebhook, type WebhookIngressDeps } from '../../shared/ingest/handle-webhook.js';
import { decodeInboxMessage } from '../../shared/ingest/inbox-message.js';
import type { WebhookSource } from '../../shared/ingest/webhook-source.js';
import type { MemoryCounters, Telemetry } from '../../shared/ports/telemetry.js';
import { MemoryQueue, staticSecrets, testTelemetry } from './fakes.js';

/** The receive time of every ingress test delivery. */
export const INGRESS_NOW = new Date('2026-11-28T10:00:00.000Z');

/** An ingress with one source, fake secrets and a memory inbox. */
export const ingress = (source: WebhookSource, secrets: ConnectorSecrets, now: Date = INGRESS_NOW) => {
  const inbox = new MemoryQueue();
  const telemetry: Telemetry & { counters: MemoryCounters } = testTelemetry();
  const deps: WebhookIngressDeps = {
    sources: new Map([[source.name, source]]),
    secrets: staticSecrets(secrets),
    inbox,
    clock: () => now,
    maxBodyBytes: 512 * 1024,
    telemetry,
  };
  return {
    inbox,
    telemetry,
    /** Sends one request through handleWebhook. */
    send: (request: HttpRequest): Promise<HttpResponse> => handleWebhook(request, deps),
    /** The queued envelopes, validated. */
    envelopes: (): WebhookEnvelope[] =>
      inbox.sent.map((m) => WebhookEnvelopeSchema.parse(decodeInboxMessage(m.body))),
  };
};

/** A POST to a webhook path with lower-cased headers, as the HTTP edge builds it. */
export const post = (path: string, body: string, headers: Record<string, string>): HttpRequest => ({
  method: 'POST',
  path,
  query: {},
  body: Buffer.from(body),
  headers,
});

/** The parsed JSON body of a response. */
export const responseJson = (response: HttpResponse): unknown => JSON.parse(response.body);
