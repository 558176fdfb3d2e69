import type * as z from 'zod';
import { type WebhookSecrets, WebhookSecretsSchema } from '../../shared/config/secrets.js';
import type { ShopDirectory } from '../../shared/config/shops.js';
import type { HttpRequest, HttpResponse } from '../../shared/http/http-types.js';
import { type WebhookEnvelope, WebhookEnvelopeSchema } from '../../shared/ingest/envelope.js';
import { handleWebhook, type WebhookIngressDeps } from '../../shared/ingest/handle-webhook.js';
import { decodeInboxMessage } from '../../shared/ingest/inbox-message.js';
import type { WebhookSource } from '../../shared/ingest/webhook-source.js';
import type { MemoryCounters, Telemetry } from '../../shared/ports/telemetry.js';
import { MemoryQueue, staticSecrets, testShops, testTelemetry } from './fakes.js';

/** The receive time of every ingress test delivery. */
export const INGRESS_NOW = new Date('2026-11-28T10:00:00.000Z');

/** Webhook secrets by shop, as the secret document holds them (validated with its schema). */
export type ShopSecrets = z.input<typeof WebhookSecretsSchema>['shops'];

/**
 * An ingress with one source, the webhook secrets of some shops and a memory inbox. The configured shops are the
 * secrets' shops unless `shops` says otherwise.
 */
export const ingress = (
  source: WebhookSource,
  secrets: ShopSecrets,
  options: { now?: Date; shops?: ShopDirectory } = {},
) => {
  const inbox = new MemoryQueue();
  const telemetry: Telemetry & { counters: MemoryCounters } = testTelemetry();
  const document: WebhookSecrets = WebhookSecretsSchema.parse({ shops: secrets });
  const now = options.now ?? INGRESS_NOW;
  const deps: WebhookIngressDeps = {
    sources: new Map([[source.name, source]]),
    secrets: staticSecrets(document),
    shops: options.shops ?? testShops(Object.keys(secrets ?? {})),
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
