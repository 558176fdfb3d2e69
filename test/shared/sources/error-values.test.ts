import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../shared/failures/classify-failure.js';
import type { WebhookEnvelope } from '../../../shared/ingest/envelope.js';
import { parseJsonLossless } from '../../../shared/json/lossless-json.js';
import { normalizerRegistry } from '../../../shared/normalize/registry.js';
import { rechargeTime } from '../../../shared/sources/recharge/recharge-mappers.js';
import { reviewTime } from '../../../shared/sources/reviews/review-mappers.js';
import { readSample } from '../../helpers/fixtures.js';
import { DOC_PAYLOADS, leafPaths, replaced, SAMPLE_TOPICS } from '../../helpers/sample-topics.js';

/**
 * Error messages and summaries reach logs and DLQ reasons: they name fields, never payload values. Each hostile
 * value below carries a marker; a thrown error that repeats any of it has copied a value.
 */
const MARKER = 'Zq9Leak';
const HOSTILE: readonly unknown[] = [
  `${MARKER} jane.doe@example.com`,
  `"${MARKER}" +1 613 555 0142`,
  `${MARKER}`.repeat(20),
  `2024-13-45T99:99:99 ${MARKER}`,
  { [MARKER]: `${MARKER}@example.com` },
  [`${MARKER}`, 1],
];
/** Pieces of the hostile values that must never appear in an error text. */
const LEAKS = [MARKER, 'jane.doe', '613 555', '555 0142'];

/**
 * The texts of an error that end up in logs and reasons: its message and, for payload errors, its summary, and the
 * reason the failure pipeline parks the record with.
 */
const errorTexts = (error: unknown): string[] => {
  const { reason } = classifyFailure(error);
  if (!(error instanceof Error)) return [String(error), reason];
  const summary = (error as { summary?: unknown }).summary;
  return [error.message, ...(typeof summary === 'string' ? [summary] : []), reason];
};

const envelopeFor = (source: string, topic: string): WebhookEnvelope => ({
  version: 1,
  source: source as WebhookEnvelope['source'],
  topic,
  shop: 'demo.myshopify.com',
  deliveryId: 'd1',
  receivedAt: '2026-11-28T10:00:00.000Z',
  signed: source !== 'pixel',
  body: '{}',
});

const payloads: readonly (readonly [string, string, string])[] = [
  ...SAMPLE_TOPICS.map(([source, topic, file]) => [source, topic, readSample(file)] as const),
  ...DOC_PAYLOADS,
];

describe('errors carry no payload value', () => {
  it.each([
    ['rechargeTime', (value: string) => rechargeTime(value, 'updated_at')],
    ['reviewTime', (value: string) => reviewTime(value, 'created_at')],
  ] as const)('%s names the field of a value that is not a time, never the value', (_name, read) => {
    // Prepare
    const value = `${MARKER} jane.doe@example.com`;

    // Act
    let thrown: unknown;
    try {
      read(value);
    } catch (error) {
      thrown = error;
    }

    // Assess: parked at once as a bad payload, with a reason naming the field.
    expect(classifyFailure(thrown)).toMatchObject({
      class: 'permanent',
      code: 'payload_invalid',
      reason: expect.stringMatching(/updated_at|created_at/),
    });
    const texts = errorTexts(thrown);
    expect(texts.join('\n')).toMatch(/updated_at|created_at/);
    for (const leak of LEAKS) expect(texts.join('\n')).not.toContain(leak);
  });

  it.each(payloads)('%s %s: every value replaced by hostile ones', (source, topic, text) => {
    // Prepare
    const normalizer = normalizerRegistry[source]?.[topic];
    const payload = parseJsonLossless(text);
    const envelope = envelopeFor(source, topic);
    const paths = leafPaths(payload);

    // Act
    const failures: { path: string; texts: string[]; permanent: boolean }[] = [];
    paths.forEach((path, i) => {
      const variants = [HOSTILE[i % HOSTILE.length], HOSTILE[(i + 3) % HOSTILE.length]];
      for (const value of variants) {
        try {
          normalizer?.(replaced(payload, path, value), envelope, {});
        } catch (error) {
          failures.push({
            path: path.join('.'),
            texts: errorTexts(error),
            permanent: classifyFailure(error).class === 'permanent',
          });
        }
      }
    });

    // Assess
    expect(normalizer, `${source} ${topic}`).toBeDefined();
    expect(paths.length).toBeGreaterThan(0);
    for (const failure of failures) {
      // A hostile value is a bad payload, never a reason to retry.
      expect(failure.permanent, `${source} ${topic} ${failure.path}`).toBe(true);
      for (const leak of LEAKS) {
        expect(failure.texts.join('\n'), `${source} ${topic} ${failure.path}`).not.toContain(leak);
      }
    }
  });
});
