import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CurrencySchema } from '../../../shared/canonical/common.js';
import { eventIdFor } from '../../../shared/canonical/event-id.js';
import { CanonicalEventSchema } from '../../../shared/canonical/events.js';
import { normalizeDomain } from '../../../shared/config/shops.js';
import { PayloadValidationError } from '../../../shared/errors.js';
import { toE164 } from '../../../shared/identity/phone.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { stampedShop } from '../../../shared/ingest/stamped-source.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { acquisitionOf, isEntryPage } from '../../../shared/people/acquisition.js';
import { fitEventMessage, TRACK_ITEM_LIMIT_BYTES } from '../../../shared/process/fit-event.js';
import { truncateText, truncateUtf8 } from '../../../shared/process/text-budget.js';
import {
  cartTokenFromId,
  cartTokenFromUrl,
  checkoutTokenOf,
  currencyOf,
} from '../../../shared/sources/pixel/pixel-mappers.js';
import { BeaconSchema } from '../../../shared/sources/pixel/pixel-schemas.js';
import { currencyOrNull, rechargeTime } from '../../../shared/sources/recharge/recharge-mappers.js';
import { RatingSchema, reviewTime } from '../../../shared/sources/reviews/review-mappers.js';
import { shippingMethodOf } from '../../../shared/sources/shipping-method.js';
import { MoneyStringSchema } from '../../../shared/sources/shopify/shopify-schemas.js';
import { utcIsoTime } from '../../../shared/sources/source-time.js';
import { orderProperties } from '../../helpers/canonical-fixtures.js';
import { readSample } from '../../helpers/fixtures.js';

/**
 * Every pattern and parser applied to payload text, fed adversarial 100 KB inputs: whitespace runs, repeated
 * separators, long digit runs and near-misses of the shapes they look for. A backtracking pattern would make this
 * file time out (seconds per call); the assertions are on results only, never on time (timings belong in
 * `npm run bench`).
 */
const N = 100_000;

/** Adversarial texts of 100 KB, each a known trap for a naive pattern. */
const HOSTILE: Readonly<Record<string, string>> = {
  spaces: ' '.repeat(N),
  whitespace_before_utc: `2018-02-20 14:12:13${' \t'.repeat(N / 2)}UTC`,
  whitespace_then_x: `2018-02-20${' '.repeat(N)}x`,
  digits: '1'.repeat(N),
  digits_then_x: `${'9'.repeat(N)}x`,
  decimal_runs: `${'1.'.repeat(N / 2)}x`,
  offsets: `${'+00:'.repeat(N / 4)}x`,
  dashes: `${'-'.repeat(N)}x`,
  slashes_newline: `${'/'.repeat(N - 2)}\nx`,
  commas: `t=${','.repeat(N)}`,
  checkout_paths: `https://shop.example/${'checkouts/cn/'.repeat(N / 13)}`,
  gid: `gid://shopify/Cart/${'a'.repeat(N)}?`,
  query: `https://shop.example/?${'utm_source=x&'.repeat(N / 13)}`,
  escapes: '"\\\u0001'.repeat(N / 3),
  emoji: '😀'.repeat(N / 2),
};
const cases = Object.entries(HOSTILE);

describe('patterns on payload text stay linear on adversarial 100 KB input', () => {
  it.each(cases)('timestamps (review, Recharge, every source): %s is refused', (_name, text) => {
    expect(utcIsoTime(text)).toBeUndefined();
    expect(() => reviewTime(text)).toThrow(PayloadValidationError);
    expect(() => rechargeTime(text)).toThrow(PayloadValidationError);
  });

  it.each(cases)('money, rating and currency patterns: %s', (_name, text) => {
    const money = MoneyStringSchema.safeParse(text);
    // A long digit run is a number (too large to be finite; the canonical schema refuses it), the rest are not.
    expect(money.success ? !Number.isFinite(money.data) : true).toBe(true);
    expect(RatingSchema.safeParse(text).success).toBe(false);
    expect(CurrencySchema.safeParse(text).success).toBe(false);
    expect(currencyOf(text)).toBeNull();
    expect(currencyOrNull(text)).toBeNull();
  });

  it.each(cases)('pixel tokens, beacon names and shops: %s', (_name, text) => {
    expect(cartTokenFromId(text)).toBeUndefined();
    expect(checkoutTokenOf(text)).toBeUndefined();
    const fromUrl = cartTokenFromUrl(text);
    expect(fromUrl === undefined || fromUrl.length <= N).toBe(true);
    expect(BeaconSchema.safeParse({ shop: text, key: 'k', event: { name: text } }).success).toBe(false);
  });

  it.each(cases)('shop domains from headers (normalization, Stamped store URL): %s', (_name, text) => {
    // No hostile text is a shop domain: too long, or not a plain DNS name.
    expect(normalizeDomain(text)).toBeUndefined();
    const host = stampedShop(text);
    expect(host === undefined || (host.length <= text.length && !/[/?#]/.test(host))).toBe(true);
    expect(stampedShop(`https://Demo.myshopify.com/${text}`)).toBe('demo.myshopify.com');
    expect(stampedShop(`Demo.myshopify.com?${text}`)).toBe('demo.myshopify.com');
  });

  it.each(cases)('phone numbers: %s is no number', (_name, text) => {
    expect(toE164(text, 'US')).toBeUndefined();
  });

  it.each(cases)('first-touch URLs: %s gives bounded attributes or none', (_name, text) => {
    const out = acquisitionOf(text, text, 'pos');
    for (const value of Object.values(out ?? {})) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(1000);
    expect(typeof isEntryPage(text, text)).toBe('boolean');
  });

  it.each(cases)('text budgets and shipping methods: %s is cut to its budget', (_name, text) => {
    expect(Buffer.byteLength(truncateUtf8(text, 1000))).toBeLessThanOrEqual(1000);
    expect(Buffer.byteLength(JSON.stringify(truncateText(text, 1000)))).toBeLessThanOrEqual(1002);
    expect(shippingMethodOf([{ title: text }, { code: text }])).toBe(text.trim() || null);
  });

  it.each(cases)('event fitting: an order whose strings are %s fits Customer.io', (_name, text) => {
    const draft = {
      name: 'Order Completed' as const,
      dedupe_key: 'order-completed#demo#1',
      source: 'shopify' as const,
      shop: 'demo.myshopify.com',
      occurred_at: '2026-11-01T10:00:00.000Z',
      person: { customer_id: '1' },
      properties: { ...orderProperties('1', 10), order_number: text, discount_codes: [text, text] },
    };
    const event = CanonicalEventSchema.parse({ ...draft, id: eventIdFor(draft.dedupe_key) });
    const fitted = fitEventMessage({ type: 'event', identifiers: { id: '1' }, event });
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThan(TRACK_ITEM_LIMIT_BYTES);
  });
});

/** Every string leaf of a JSON value, by path. */
const stringPaths = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
  }
  return [];
};

const replaced = (value: unknown, path: readonly (string | number)[], text: string): unknown => {
  if (path.length === 0) return text;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaced(item, rest, text) : item));
  const record = value as Record<string, unknown>;
  return { ...record, [String(head)]: replaced(record[String(head)], rest, text) };
};

/** Shopify sample files by topic. */
const SHOPIFY_TOPICS: Readonly<Record<string, string>> = {
  'app-uninstalled': 'app/uninstalled',
  'carts-create': 'carts/create',
  'carts-update': 'carts/update',
  'checkouts-create': 'checkouts/create',
  'checkouts-update': 'checkouts/update',
  'checkouts-delete': 'checkouts/delete',
  'customers-create': 'customers/create',
  'customers-update': 'customers/update',
  'customers-data-request': 'customers/data_request',
  'customers-redact': 'customers/redact',
  'customers-email-marketing-consent-update': 'customers_email_marketing_consent/update',
  'customers-marketing-consent-update': 'customers_marketing_consent/update',
  'orders-cancelled': 'orders/cancelled',
  'orders-create': 'orders/create',
  'orders-paid': 'orders/paid',
  'orders-updated': 'orders/updated',
  'refunds-create': 'refunds/create',
  'shop-redact': 'shop/redact',
};

/** Every sample file with the source and topic it stands for (pixel captures by their event name). */
const SAMPLE_TOPICS: readonly (readonly [string, string, string])[] = [
  ...readdirSync(resolve(import.meta.dirname, '../../fixtures/samples/shopify'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const base = f.replace(/\..*$/, '');
      if (base.startsWith('web-pixel-')) {
        return ['pixel', base.slice('web-pixel-'.length).replaceAll('-', '_'), `shopify/${f}`] as const;
      }
      return ['shopify', SHOPIFY_TOPICS[base] ?? base, `shopify/${f}`] as const;
    }),
  ['judgeme', 'review/created', 'judgeme/review-created.json'],
  ['stamped', 'review/created', 'stamped/review-created.json'],
  ['yotpo', 'review_create', 'yotpo/review-create.json'],
  ...readdirSync(resolve(import.meta.dirname, '../../fixtures/samples/recharge'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const base = f.replace(/\..*$/, '');
      const [resource, ...action] = base.split('-');
      // A created charge is the shape charge/paid reads (the connector has no charge/created topic).
      const topic = base === 'charge-created' ? 'charge/paid' : `${resource}/${action.join('_')}`;
      return ['recharge', topic, `recharge/${f}`] as const;
    })
    // Addresses are not a topic the connector handles.
    .filter(([, topic]) => topic !== 'address/created'),
];

describe('every string of every sample, replaced by hostile 100 KB text, through its normalizer', () => {
  const variants = Object.values(HOSTILE);
  it.each(SAMPLE_TOPICS)('%s %s', (source, topic, file) => {
    const normalizer = normalizerRegistry[source]?.[topic];
    expect(normalizer, `${source} ${topic}`).toBeDefined();
    const payload = parseJsonLossless(readSample(file));
    const envelope: WebhookEnvelope = {
      version: 1,
      source: source as WebhookEnvelope['source'],
      topic,
      shop: 'demo.myshopify.com',
      deliveryId: 'd1',
      receivedAt: '2026-11-28T10:00:00.000Z',
      signed: source !== 'pixel',
      body: '{}',
    };
    const paths = stringPaths(payload);
    let outcomes = 0;
    paths.forEach((path, i) => {
      const text = variants[i % variants.length] ?? '';
      try {
        const result = normalizer?.(replaced(payload, path, text), envelope, {});
        expect(result?.kind === 'normalized' || result?.kind === 'ignored').toBe(true);
      } catch (error) {
        expect(error, `${file} ${path.join('.')}`).toBeInstanceOf(PayloadValidationError);
      }
      outcomes += 1;
    });
    expect(outcomes).toBe(paths.length);
  });
});
