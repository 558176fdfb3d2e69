import { ReceiveMessageCommand, SQSServiceException } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticSecretProvider } from '../../../shared/adapters/secret-providers.js';
import { SqsMessageQueue } from '../../../shared/adapters/sqs-message-queue.js';
import { WebhookSecretsSchema } from '../../../shared/config/secrets.js';
import { DependencyError } from '../../../shared/errors.js';
import type { HttpRequest } from '../../../shared/http/http-types.js';
import { WebhookEnvelopeSchema } from '../../../shared/ingest/envelope.js';
import { handleWebhook, type WebhookIngressDeps } from '../../../shared/ingest/handle-webhook.js';
import { decodeInboxMessage } from '../../../shared/ingest/inbox-message.js';
import { shopifySource } from '../../../shared/ingest/shopify-source.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { isSqsSafeText } from '../../../shared/json/sqs-safe-json.js';
import { signShopifyBody } from '../../../shared/signatures/shopify-signature.js';
import {
  MemoryQueue,
  recordingTelemetry,
  staticSecrets,
  testShops,
  testTelemetry,
} from '../../helpers/fakes.js';
import { startTestQueues, type TestQueues } from '../../helpers/fauxqs.js';

const SECRET = 'shpss_test';
const NOW = new Date('2026-11-28T10:00:00.000Z');

const deps = (overrides: Partial<WebhookIngressDeps> = {}) => {
  const inbox = new MemoryQueue();
  const telemetry = testTelemetry();
  return {
    inbox,
    telemetry,
    deps: {
      sources: new Map([['shopify', shopifySource]]),
      secrets: staticSecrets({
        shops: { 'demo.myshopify.com': { shopify: { clientSecrets: ['old-secret', SECRET] } } },
      }),
      shops: testShops(['demo.myshopify.com']),
      inbox,
      clock: () => NOW,
      maxBodyBytes: 1024,
      telemetry,
      ...overrides,
    } satisfies WebhookIngressDeps,
  };
};

const shopifyRequest = (body: string, headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST',
  path: '/webhooks/shopify',
  query: {},
  body: Buffer.from(body),
  headers: {
    'x-shopify-topic': 'orders/create',
    'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
    'x-shopify-shop-domain': 'Demo.myshopify.com',
    'x-shopify-webhook-id': 'wh-1',
    'x-shopify-event-id': 'ev-1',
    'x-shopify-api-version': '2026-07',
    'x-shopify-triggered-at': '2026-11-28T09:59:59.000000Z',
    ...headers,
  },
});

describe('handleWebhook (Shopify)', () => {
  it('queues the verified raw body with the transport facts and answers 200', async () => {
    const { deps: d, inbox, telemetry } = deps();
    const body = '{"id": 820982911946154508, "total_price": "10.00"}';
    const response = await handleWebhook(shopifyRequest(body), d);
    expect(response.statusCode).toBe(200);
    expect(inbox.sent).toHaveLength(1);
    const envelope = WebhookEnvelopeSchema.parse(decodeInboxMessage(inbox.sent[0]?.body ?? ''));
    expect(envelope).toEqual({
      version: 1,
      source: 'shopify',
      topic: 'orders/create',
      shop: 'demo.myshopify.com',
      deliveryId: 'wh-1',
      eventId: 'ev-1',
      apiVersion: '2026-07',
      triggeredAt: '2026-11-28T09:59:59.000000Z',
      receivedAt: NOW.toISOString(),
      signed: true,
      body,
    });
    expect(telemetry.counters.get('WebhookAccepted')).toBe(1);
  });

  it('answers 401 for a bad or missing signature and queues nothing (compliance topics require 401)', async () => {
    const { deps: d, inbox } = deps();
    const bad = await handleWebhook(
      shopifyRequest('{}', { 'x-shopify-hmac-sha256': signShopifyBody('{}', 'wrong') }),
      d,
    );
    expect(bad).toMatchObject({ statusCode: 401 });
    expect(JSON.parse(bad.body)).toEqual({ error: 'invalid_signature' });
    const missing = await handleWebhook(
      shopifyRequest('{}', { 'x-shopify-hmac-sha256': '', 'x-shopify-topic': 'customers/redact' }),
      d,
    );
    expect(missing.statusCode).toBe(401);
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 400 naming the missing headers once the signature is valid', async () => {
    const { deps: d, inbox } = deps();
    const response = await handleWebhook(
      shopifyRequest('{}', { 'x-shopify-webhook-id': '', 'x-shopify-topic': '' }),
      d,
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: 'missing_headers',
      missing: ['x-shopify-topic', 'x-shopify-webhook-id'],
    });
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 413 above the size cap without checking anything else', async () => {
    const { deps: d } = deps();
    const response = await handleWebhook(shopifyRequest(`{"pad":"${'x'.repeat(2000)}"}`), d);
    expect(response.statusCode).toBe(413);
  });

  it('queues the body embedded as it is: no escaping, exact ids, the message still JSON', async () => {
    const { deps: d, inbox } = deps();
    const body = '{"id":820982911946154508,"note":"say \\"hi\\"\\n"}';
    expect((await handleWebhook(shopifyRequest(body), d)).statusCode).toBe(200);
    const message = inbox.sent[0]?.body ?? '';
    expect(message.endsWith(`,"body":${body}}`)).toBe(true);
    expect(JSON.parse(message)).toMatchObject({ deliveryId: 'wh-1', body: { note: 'say "hi"\n' } });
  });

  it("answers 413 when the message would pass SQS's 1 MiB, instead of failing every retry", async () => {
    const { deps: d, inbox } = deps({ maxBodyBytes: 2 * 1024 * 1024 });
    const body = `{"note":"${'x'.repeat(1024 * 1024)}"}`;
    const response = await handleWebhook(shopifyRequest(body), d);
    expect(response.statusCode).toBe(413);
    expect(inbox.sent).toHaveLength(0);
  });

  it('sends a body with characters SQS refuses raw in the escaped form, so the worker can park it with a reason', async () => {
    const { deps: d, inbox } = deps();
    const body = '{"note":"bell \u0007 and \uFFFE"}';
    expect((await handleWebhook(shopifyRequest(body), d)).statusCode).toBe(200);
    expect(inbox.sent).toHaveLength(1);
    expect(isSqsSafeText(inbox.sent[0]?.body ?? '')).toBe(true);
    const envelope = WebhookEnvelopeSchema.parse(decodeInboxMessage(inbox.sent[0]?.body ?? ''));
    expect(envelope.body).toBe(body);
  });

  it('answers 413 when only the escaped form could carry the body and it is past 1 MiB', async () => {
    const { deps: d, inbox } = deps({ maxBodyBytes: 1024 * 1024 });
    // 300 KB of control characters: each escapes to six bytes (\u0001).
    const body = `{"note":"${'\u0001'.repeat(300_000)}"}`;
    expect((await handleWebhook(shopifyRequest(body), d)).statusCode).toBe(413);
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the queue refuses, so the platform retries and nothing is lost', async () => {
    const { deps: d, inbox, telemetry } = deps();
    inbox.failWith = new DependencyError('SQS SendMessage failed', 'sqs', {
      cause: new Error('SQS down: arn:aws:sqs:secret-internal-detail'),
    });
    const response = await handleWebhook(shopifyRequest('{}'), d);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('5');
    expect(response.body).not.toContain('arn:aws');
    expect(telemetry.counters.get('WebhookEnqueueFailed')).toBe(1);
  });

  it('answers 500, not a 503 the platform would retry forever, when the queue refuses the message for good', async () => {
    const { deps: d, inbox, telemetry } = deps();
    inbox.failWith = new DependencyError('SQS SendMessage failed', 'sqs', {
      cause: new SQSServiceException({
        name: 'InvalidMessageContents',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Invalid characters found',
      }),
    });
    const response = await handleWebhook(shopifyRequest('{}'), d);
    expect(response).toMatchObject({ statusCode: 500, body: JSON.stringify({ error: 'internal_error' }) });
    expect(telemetry.counters.get('WebhookEnqueueFailed')).toBe(1);
  });

  it('answers 401 not_configured when the shop has no secret for the platform: nothing can verify it', async () => {
    const { deps: d, inbox, telemetry } = deps({ secrets: staticSecrets({ shops: {} }) });
    const response = await handleWebhook(shopifyRequest('{}'), d);
    expect(response).toMatchObject({ statusCode: 401, body: JSON.stringify({ error: 'not_configured' }) });
    expect(telemetry.counters.get('WebhookRejected_not_configured')).toBe(1);
    expect(inbox.sent).toHaveLength(0);
  });

  it('answers 503 with Retry-After when the secret cannot be read, so the platform retries', async () => {
    const { deps: d } = deps({
      secrets: {
        get: async () => {
          throw new Error('AccessDenied arn:aws:secretsmanager:internal');
        },
      },
    });
    const response = await handleWebhook(shopifyRequest('{}'), d);
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toContain('arn:aws');
  });

  it('answers 503 for a secret document that breaks a rule, and logs the rule by its path, never a value', async () => {
    const telemetry = recordingTelemetry();
    const shared = 'shared-client-secret-value';
    const { deps: d } = deps({
      telemetry,
      secrets: {
        // One Shopify client secret listed for two shops: refused when the document is read.
        get: async () =>
          new StaticSecretProvider(
            JSON.stringify({
              shops: {
                'a.myshopify.com': { shopify: { clientSecrets: [shared] } },
                'b.myshopify.com': { shopify: { clientSecrets: [shared] } },
              },
            }),
            WebhookSecretsSchema,
            'LOCAL_WEBHOOK_SECRETS_JSON',
          ).get(),
      },
    });
    const response = await handleWebhook(shopifyRequest('{}'), d);
    expect(response.statusCode).toBe(503);
    const line = telemetry.log.lines.find((l) => l.message === 'secrets unavailable');
    expect(line?.fields).toMatchObject({
      code: 'configuration_invalid',
      reason: expect.stringMatching(/shops\.b\.myshopify\.com\.shopify: a Shopify client secret/),
    });
    expect(JSON.stringify(telemetry.log.lines)).not.toContain(shared);
  });

  it('answers 404 for unknown routes and 405 for non-POST methods', async () => {
    const { deps: d } = deps();
    expect((await handleWebhook({ ...shopifyRequest('{}'), path: '/webhooks/nope' }, d)).statusCode).toBe(
      404,
    );
    expect((await handleWebhook({ ...shopifyRequest('{}'), method: 'GET' }, d)).statusCode).toBe(405);
  });
});

describe('handleWebhook with characters SQS refuses (a real SQS emulator, fauxqs, on 127.0.0.1)', () => {
  let queues: TestQueues;
  beforeAll(async () => {
    queues = await startTestQueues();
  });
  afterAll(async () => queues?.close());

  /** A shopper's note with non-characters, raw controls, emoji and an escaped lone surrogate. */
  const HOSTILE_BODY =
    '{"id": 820982911946154508, "note": "gift \uFFFE\uFFFF bell\u0007 🎁 zoë \\ud800 \u2028"}';

  it('accepts the delivery (200), and SQS takes a message that holds the exact raw body', async () => {
    const { url } = queues.queue('inbox-hostile');
    const { deps: d } = deps({ inbox: new SqsMessageQueue(queues.sqs, url) });
    const response = await handleWebhook(shopifyRequest(HOSTILE_BODY), d);
    expect(response.statusCode).toBe(200);
    const out = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const queued = out.Messages?.[0]?.Body ?? '';
    expect(isSqsSafeText(queued)).toBe(true);
    expect(WebhookEnvelopeSchema.parse(decodeInboxMessage(queued)).body).toBe(HOSTILE_BODY);
  });

  it('embeds a valid JSON body with non-characters and emoji escaped in its strings: the same value, exact ids', async () => {
    const { url } = queues.queue('inbox-embedded');
    const { deps: d } = deps({ inbox: new SqsMessageQueue(queues.sqs, url) });
    const body = '{"id": 820982911946154508, "note": "gift \uFFFE\uFFFF 🎁 zoë 🛹 \\\\ \u2028", "n": [1.50]}';
    expect((await handleWebhook(shopifyRequest(body), d)).statusCode).toBe(200);
    const out = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    const queued = out.Messages?.[0]?.Body ?? '';
    expect(isSqsSafeText(queued)).toBe(true);
    expect(queued).toContain(',"body":{"id": 820982911946154508,');
    const envelope = WebhookEnvelopeSchema.parse(decodeInboxMessage(queued));
    expect(parseJsonLossless(envelope.body)).toEqual(parseJsonLossless(body));
    expect(JSON.parse(queued)).toMatchObject({ deliveryId: 'wh-1', body: JSON.parse(body) });
  });

  it('answers the same way on every retry: the delivery is never refused for its characters', async () => {
    const { url } = queues.queue('inbox-retries');
    const { deps: d } = deps({ inbox: new SqsMessageQueue(queues.sqs, url) });
    for (let i = 0; i < 3; i += 1) {
      expect((await handleWebhook(shopifyRequest(HOSTILE_BODY), d)).statusCode).toBe(200);
    }
  });
});
