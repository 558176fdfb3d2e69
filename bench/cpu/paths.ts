import { createHmac, timingSafeEqual } from 'node:crypto';
import { shopDirectory } from '../../shared/config/shops.js';
import type { DedupeStore, OwnershipStore } from '../../shared/dedupe/dedupe-store.js';
import type { HttpRequest } from '../../shared/http/http-types.js';
import type { WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { handleWebhook, type WebhookIngressDeps } from '../../shared/ingest/handle-webhook.js';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import type { MessageQueue } from '../../shared/ports/message-queue.js';
import { MemoryCounters, silentLog } from '../../shared/ports/telemetry.js';
import { type ProcessDeps, processInboxMessage } from '../../shared/process/process-envelope.js';
import { webhookSources } from '../../shared/runtime/wire-ingest.js';
import { signShopifyBody, verifyShopifySignature } from '../../shared/signatures/shopify-signature.js';
import type { Workload } from './workloads.js';

const SECRET = 'shpss_bench_0123456789abcdef0123456789abcdef';
const SHOP = 'bench-store.myshopify.com';
const SHOP_PLACEHOLDER = '{shop}.myshopify.com';
const RECEIVED_AT = new Date('2026-11-27T12:00:00.000Z');
/** Phone numbers without a country code read as US ones, the most common shop setting. */
const PHONE_COUNTRY = 'US';

/** The three paths of one workload, ready to time. Each returns something so no work can be optimized away. */
export interface Paths {
  /** utf8 decode + JSON.parse + HMAC-SHA256 + base64 decode + timingSafeEqual of the same bytes: the least any verifier does. */
  readonly floor: () => unknown;
  /** verify + exact (lossless) parse + zod + normalize. */
  readonly core: () => unknown;
  /** ingest + process in one process: route, verify, envelope, re-parse, normalize, re-validate, outbox JSON. */
  readonly pipeline: () => Promise<unknown>;
  /**
   * Runs the core and the pipeline once: `processed, …` or `ignored, …` when both succeed, else why not (timing an
   * error path would prove nothing).
   */
  check(): Promise<string>;
}

/** Claims every key: the DynamoDB stages are out of this measurement (their cost is round trips, not CPU). */
const claimEverything: DedupeStore & OwnershipStore = {
  claim: async () => ({ status: 'claimed', token: 'bench' }),
  complete: async () => undefined,
  release: async () => undefined,
  own: async () => true,
  disown: async () => undefined,
};

/** A queue that only counts what it is given. */
class CountingQueue implements MessageQueue {
  messages = 0;
  bytes = 0;
  last = '';
  async send(message: { body: string }): Promise<void> {
    this.messages += 1;
    this.bytes += message.body.length;
    this.last = message.body;
  }
  async sendBatch(messages: readonly { body: string }[]): Promise<void> {
    for (const message of messages) await this.send(message);
  }
}

/** Builds the floor, core and pipeline of one workload with one Shopify secret (no rotation in progress). */
export const pathsFor = (workload: Workload): Paths => {
  const { topic } = workload;
  // Compliance samples name a placeholder shop (`{shop}.myshopify.com`); ingest binds them to the configured one.
  const body = workload.body.includes(SHOP_PLACEHOLDER)
    ? Buffer.from(workload.body.toString('utf8').replace(SHOP_PLACEHOLDER, SHOP))
    : workload.body;
  const signature = signShopifyBody(body, SECRET);
  const secrets = [SECRET];
  const normalizer = normalizerRegistry.shopify?.[topic];
  if (!normalizer) throw new Error(`no normalizer for shopify ${topic}`);
  const headers = {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': signature,
    'x-shopify-shop-domain': SHOP,
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-api-version': '2026-07',
    'x-shopify-triggered-at': '2026-11-27T11:59:59.412Z',
  };
  const envelope: WebhookEnvelope = {
    version: 1,
    source: 'shopify',
    topic,
    shop: SHOP,
    deliveryId: headers['x-shopify-webhook-id'],
    eventId: headers['x-shopify-event-id'],
    apiVersion: headers['x-shopify-api-version'],
    triggeredAt: headers['x-shopify-triggered-at'],
    receivedAt: RECEIVED_AT.toISOString(),
    signed: true,
    body: body.toString('utf8'),
  };
  const context = { phoneCountry: PHONE_COUNTRY };
  const telemetry = { log: silentLog, counters: new MemoryCounters() };
  const inbox = new CountingQueue();
  const outbox = new CountingQueue();
  const ingestDeps: WebhookIngressDeps = {
    sources: webhookSources,
    secrets: { get: async () => ({ shops: { [SHOP]: { shopify: { clientSecrets: secrets } } } }) },
    shops: shopDirectory({ [SHOP]: { workspace: 'default', customerIdPrefix: '', customDomains: [] } }),
    inbox,
    clock: () => RECEIVED_AT,
    maxBodyBytes: 1000 * 1024,
    telemetry,
  };
  const processDeps: ProcessDeps = {
    dedupe: claimEverything,
    outbox,
    normalizers: normalizerRegistry,
    phoneCountryFor: () => PHONE_COUNTRY,
    stages: [],
    identity: { strategy: 'customer_id', customerIdPrefix: '' },
    clock: () => RECEIVED_AT,
    telemetry,
  };
  const request: HttpRequest = { method: 'POST', path: '/webhooks/shopify', headers, query: {}, body };

  const floor = () => {
    const value: unknown = JSON.parse(body.toString('utf8'));
    const mac = createHmac('sha256', SECRET).update(body).digest();
    return timingSafeEqual(mac, Buffer.from(signature, 'base64')) ? value : undefined;
  };
  const core = () => {
    const verified = verifyShopifySignature(body, signature, secrets);
    if (!verified.ok) throw new Error(`signature refused: ${verified.reason}`);
    return normalizer(parseJsonLossless(body.toString('utf8')), envelope, context);
  };
  const pipeline = async () => {
    const response = await handleWebhook(request, ingestDeps);
    if (response.statusCode !== 200) return response.statusCode;
    return processInboxMessage(inbox.last, processDeps);
  };
  const check = async () => {
    try {
      core();
    } catch (error) {
      return `the core throws (${error instanceof Error ? error.message : String(error)})`;
    }
    const before = outbox.messages;
    const response = await handleWebhook(request, ingestDeps);
    if (response.statusCode !== 200) return `ingest answers ${response.statusCode} ${response.body}`;
    let outcome: string;
    try {
      outcome = await processInboxMessage(inbox.last, processDeps);
    } catch (error) {
      return `process fails the delivery (${error instanceof Error ? error.message : String(error)})`;
    }
    return `${outcome}, ${outbox.messages - before} outbox message(s)`;
  };
  return { floor, core, pipeline, check };
};
