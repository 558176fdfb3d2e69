import type { WebhookEnvelope } from '../../shared/ingest/envelope.js';
import { parseJsonLossless } from '../../shared/json/lossless-json.js';
import type { Normalized, NormalizeResult } from '../../shared/normalize/normalizer.js';
import { normalizerRegistry } from '../../shared/normalize/registry.js';
import { readSample } from './fixtures.js';

/** The shop every Recharge test delivery comes from (X-Recharge-External-Platform-Domain, lower-cased). */
export const RECHARGE_SHOP = 'vege-box.myshopify.com';

/** Raw text of a Recharge sample from test/fixtures/samples. */
export const readRechargeSample = (file: string): string => readSample(`recharge/${file}`);

/** A sample parsed losslessly, as a mutable object to derive variants from. */
export const rechargeSampleObject = (file: string): Record<string, unknown> =>
  parseJsonLossless(readRechargeSample(file)) as Record<string, unknown>;

/** A signed Recharge envelope as the ingest Lambda queues it. */
export const rechargeEnvelope = (
  topic: string,
  body: string,
  overrides: Partial<WebhookEnvelope> = {},
): WebhookEnvelope => ({
  version: 1,
  source: 'recharge',
  topic,
  shop: RECHARGE_SHOP,
  deliveryId: 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: true,
  body,
  ...overrides,
});

/** Runs a body through the registered Recharge normalizer of its topic, as the process stage does. */
export const normalizeRecharge = (topic: string, body: string): NormalizeResult => {
  const normalizer = normalizerRegistry.recharge?.[topic];
  if (!normalizer) throw new Error(`no Recharge normalizer for ${topic}`);
  return normalizer(parseJsonLossless(body), rechargeEnvelope(topic, body));
};

/** Normalizes a payload object and insists on canonical output (not an ignore). */
export const normalizedRecharge = (topic: string, payload: unknown): Normalized => {
  const result = normalizeRecharge(topic, JSON.stringify(payload));
  if (result.kind !== 'normalized') throw new Error(`${topic} was ignored: ${result.reason}`);
  return result;
};

/** Normalizes a sample file and insists on canonical output. */
export const normalizeRechargeSample = (topic: string, file: string): Normalized => {
  const result = normalizeRecharge(topic, readRechargeSample(file));
  if (result.kind !== 'normalized') throw new Error(`${topic} was ignored: ${result.reason}`);
  return result;
};
