import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { postShopifyWebhook } from '../../local/post-shopify-webhook.js';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue.js';
import type { SourceName, WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { stringifyForSqs } from '../../shared/json/sqs-safe-json.js';
import { silentLog } from '../../shared/ports/telemetry.js';
import { type CapturedOutput, captureOutput } from '../helpers/capture-output.js';
import { readSample } from '../helpers/fixtures.js';
import { OKENDO_REVIEW_CREATE } from '../helpers/reviews-envelope.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  beaconFor,
  ORIGIN,
  PIXEL_SAMPLES,
  PUBLIC_KEY,
  pixelSample,
  SHOP,
} from '../shared/sources/pixel/pixel-samples.js';

/** Every sample under test/fixtures/samples with the source and topic it is delivered as. */
const SAMPLES: readonly { file: string; source: SourceName; topic: string; shop: string }[] = [
  ...(
    [
      ['app-uninstalled.json', 'app/uninstalled'],
      ['carts-create.json', 'carts/create'],
      ['carts-update.json', 'carts/update'],
      ['carts-update.rudderstack.json', 'carts/update'],
      ['checkouts-create.json', 'checkouts/create'],
      ['checkouts-create.rudderstack.json', 'checkouts/create'],
      ['checkouts-delete.json', 'checkouts/delete'],
      ['checkouts-update.json', 'checkouts/update'],
      ['checkouts-update.rudderstack.json', 'checkouts/update'],
      ['customers-create.json', 'customers/create'],
      ['customers-data-request.json', 'customers/data_request'],
      ['customers-email-marketing-consent-update.json', 'customers_email_marketing_consent/update'],
      ['customers-marketing-consent-update.json', 'customers_marketing_consent/update'],
      ['customers-redact.json', 'customers/redact'],
      ['customers-update.json', 'customers/update'],
      ['orders-cancelled.json', 'orders/cancelled'],
      ['orders-cancelled.rudderstack.json', 'orders/cancelled'],
      ['orders-create.json', 'orders/create'],
      ['orders-create.rudderstack.json', 'orders/create'],
      ['orders-paid.rudderstack.json', 'orders/paid'],
      ['orders-updated.rudderstack.json', 'orders/updated'],
      ['refunds-create.json', 'refunds/create'],
      ['shop-redact.json', 'shop/redact'],
    ] as const
  ).map(([file, topic]) => ({
    file: `shopify/${file}`,
    source: 'shopify' as const,
    topic,
    shop: 'local-dev.myshopify.com',
  })),
  ...(
    [
      ['address-created.json', 'address/created'],
      ['charge-created.boxesapp.json', 'charge/created'],
      ['charge-failed.legacy.json', 'charge/failed'],
      ['charge-paid.legacy.json', 'charge/paid'],
      ['customer-created.json', 'customer/created'],
      ['subscription-activated.json', 'subscription/activated'],
      ['subscription-cancelled.json', 'subscription/cancelled'],
      ['subscription-created.json', 'subscription/created'],
      ['subscription-created.boxesapp.json', 'subscription/created'],
      ['subscription-created.legacy.json', 'subscription/created'],
    ] as const
  ).map(([file, topic]) => ({
    file: `recharge/${file}`,
    source: 'recharge' as const,
    topic,
    shop: 'local-dev.myshopify.com',
  })),
  {
    file: 'judgeme/review-created.json',
    source: 'judgeme',
    topic: 'review/created',
    shop: 'local-dev.myshopify.com',
  },
  {
    file: 'stamped/review-created.json',
    source: 'stamped',
    topic: 'review/created',
    shop: 'local-dev.myshopify.com',
  },
  {
    file: 'yotpo/review-create.json',
    source: 'yotpo',
    topic: 'review_create',
    shop: 'local-dev.myshopify.com',
  },
  { file: 'okendo', source: 'okendo', topic: 'review.create', shop: 'local-dev.myshopify.com' },
];

const bodyOf = (file: string): string => (file === 'okendo' ? OKENDO_REVIEW_CREATE : readSample(file));

/** Keys whose values are personal data (names only under a person-like parent: product names are not). */
const PII_KEYS =
  /^(e-?mail|email_address|phone|sms_marketing_phone|first_name|last_name|firstName|lastName|address1|address2|street|city|zip|postal_code|company|displayName|reviewer_name|author|name)$/i;
const PERSON_PARENTS =
  /customer|address|billing|shipping|reviewer|author|buyer|user|resource|default_address/i;

/** Sample persons named after a platform ("first_name": "Recharge"): log lines name the platforms themselves. */
const PLATFORM_NAMES = /^(shopify|recharge|judge\.?me|okendo|stamped|yotpo)$/i;

/** The personal values of a payload (strings of 3+ characters under a personal key). */
const personalValues = (value: unknown, parent = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((item) => personalValues(item, parent));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const personal =
      typeof child === 'string' &&
      child.trim().length >= 3 &&
      !PLATFORM_NAMES.test(child.trim()) &&
      PII_KEYS.test(key) &&
      (key.toLowerCase() !== 'name' || PERSON_PARENTS.test(parent));
    return personal ? [child.trim()] : personalValues(child, key);
  });
};

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Where `value` occurs in `text` as a whole (a name "test" is not found in "pixel-testing-rs"). */
const occurrence = (text: string, value: string): string | undefined => {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').exec(text);
  return match ? text.slice(Math.max(0, match.index - 200), match.index + value.length + 50) : undefined;
};

/** Variants that fail with personal data where dates, or ids and currencies, should be (messages may echo them). */
const POISONED_KEYS = [
  ['created_at', 'updated_at', 'processed_at', 'timestamp'],
  ['id', 'currency'],
] as const;

const poisoned = (body: string, email: string, keys: readonly string[]): string => {
  const object = JSON.parse(body) as Record<string, unknown>;
  const poison = (target: Record<string, unknown>) => {
    for (const key of keys) if (key in target) target[key] = `${email} +1 613 555 0199`;
  };
  poison(object);
  // Recharge, Judge.me and Okendo wrap the resource in one top-level object.
  for (const child of Object.values(object)) {
    if (typeof child === 'object' && child !== null && !Array.isArray(child))
      poison(child as Record<string, unknown>);
  }
  return JSON.stringify(object);
};

const envelope = (sample: (typeof SAMPLES)[number], body: string, deliveryId: string): WebhookEnvelope => ({
  version: 1,
  source: sample.source,
  topic: sample.topic,
  shop: sample.shop,
  deliveryId,
  receivedAt: new Date().toISOString(),
  signed: true,
  body,
});

describe('logs hold no personal data: every sample through the local stack, log output scanned', () => {
  let stack: LocalStack;
  let output: CapturedOutput;
  const sentValues = new Set<string>();

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    // The local shop (signed webhooks) and the pixel samples' shop (beacons from their origin).
    process.env.SHOPS = JSON.stringify({
      [LOCAL_DEFAULTS.shop]: {},
      [SHOP]: { storefront: { publicKey: PUBLIC_KEY, origins: [ORIGIN] } },
    });
    output = captureOutput();
    stack = await startLocalStack({
      apiPort: 0,
      retry: { maxAttempts: 2, baseSeconds: 1, maxSeconds: 1 },
      log: silentLog,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    output?.restore();
    delete process.env.POWERTOOLS_LOG_LEVEL;
    delete process.env.SHOPS;
  });

  it('runs them all (valid and poisoned), then finds none of their personal values in any log line', async () => {
    const inbox = new SqsMessageQueue(stack.sqs, stack.queues.inbox.url);
    let n = 0;
    for (const sample of SAMPLES) {
      const body = bodyOf(sample.file);
      const values = personalValues(JSON.parse(body));
      for (const value of values) sentValues.add(value);
      const email = values.find((v) => v.includes('@')) ?? 'poison.person@example.com';
      sentValues.add(email);
      n += 1;
      await inbox.send({ body: stringifyForSqs(envelope(sample, body, `privacy-${n}`)) });
      for (const keys of POISONED_KEYS) {
        n += 1;
        await inbox.send({
          body: stringifyForSqs(envelope(sample, poisoned(body, email, keys), `privacy-${n}`)),
        });
      }
    }
    // A Shopify order through ingest (signature, envelope), and every storefront beacon through /collect.
    const order = readSample('shopify/orders-create.json');
    for (const value of personalValues(JSON.parse(order))) sentValues.add(value);
    expect((await postShopifyWebhook(stack.apiUrl, order, { topic: 'orders/create' })).status).toBe(200);
    for (const file of PIXEL_SAMPLES) {
      const raw = pixelSample(file);
      for (const value of personalValues(raw)) sentValues.add(value);
      const response = await fetch(`${stack.apiUrl}/collect`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: ORIGIN },
        body: JSON.stringify(beaconFor(raw)),
      });
      expect([202, 204]).toContain(response.status);
    }

    const queued = (name: string) => {
      const q = stack.fauxqs.inspectQueue(name)?.messages;
      return (q?.ready.length ?? 0) + (q?.inflight.length ?? 0) + (q?.delayed.length ?? 0);
    };
    await waitFor(
      () => (queued('inbox') === 0 && queued('outbox') === 0 ? true : undefined),
      30_000,
      'idle queues',
    );
    await new Promise((r) => setTimeout(r, 500));

    const text = output.text();
    const lines = text.split('\n').filter((l) => l.startsWith('{'));
    // The scan only means something if the workers logged, failures included.
    expect(lines.length).toBeGreaterThan(SAMPLES.length);
    expect(text).toContain('record parked in the dead-letter queue');
    expect(stack.capture?.operations().length ?? 0).toBeGreaterThan(10);
    expect(sentValues.size).toBeGreaterThan(30);
    for (const value of sentValues)
      expect(occurrence(text, value), `log output holds "${value}"`).toBeUndefined();
    expect(text.match(EMAIL) ?? []).toEqual([]);
    // And the lines about records carry their delivery id.
    const recordLines = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => 'message_id' in l);
    expect(recordLines.length).toBeGreaterThan(0);
    for (const line of recordLines) expect(line.delivery_id).toEqual(expect.any(String));
  });
});
