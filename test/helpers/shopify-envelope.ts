import type { WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import type { NormalizeContext, Normalized, NormalizeResult } from '../../shared/normalize/normalizer.js';
import { shopifyNormalizers } from '../../shared/sources/shopify/shopify-normalizers.js';
import { readSample } from './fixtures.js';

/** The shop every Shopify test delivery comes from. */
export const TEST_SHOP = 'snowdevil.myshopify.com';

/** Raw text of a Shopify sample from test/fixtures/samples. */
export const readShopifySample = (file: string): string => readSample(`shopify/${file}`);

/** A realistic signed Shopify envelope, with the headers' values as the ingest Lambda records them. */
export const shopifyEnvelope = (
  topic: string,
  body: string,
  overrides: Partial<WebhookEnvelope> = {},
): WebhookEnvelope => ({
  version: 1,
  source: 'shopify',
  topic,
  shop: TEST_SHOP,
  deliveryId: '545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9',
  eventId: '59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f',
  apiVersion: '2026-07',
  triggeredAt: '2025-07-10T16:15:47.000000Z',
  receivedAt: '2025-07-10T16:15:48.120Z',
  signed: true,
  body,
  ...overrides,
});

/** Runs a body through the registered normalizer of its topic, as the process stage does. */
export const normalizeShopify = (
  topic: string,
  body: string,
  overrides: Partial<WebhookEnvelope> = {},
  context?: NormalizeContext,
): NormalizeResult => {
  const normalizer = shopifyNormalizers[topic];
  if (!normalizer) throw new Error(`no Shopify normalizer for ${topic}`);
  return normalizer(parseJsonLossless(body), shopifyEnvelope(topic, body, overrides), context);
};

/** Normalizes a sample file and insists on canonical output (not an ignore). */
export const normalizeShopifySample = (topic: string, file: string): Normalized => {
  const result = normalizeShopify(topic, readShopifySample(file));
  if (result.kind !== 'normalized') throw new Error(`${topic} was ignored: ${result.reason}`);
  return result;
};

/** A sample parsed losslessly, as a mutable object to derive variants from. */
export const shopifySampleObject = (file: string): Record<string, unknown> =>
  parseJsonLossless(readShopifySample(file)) as Record<string, unknown>;
