import { describe, expect, it } from 'vitest';
import { MAX_BATCH_BYTES, messageBytes, sqsBatches } from '../../../shared/adapters/sqs-batches.js';

const message = (bytes: number, attributes?: Record<string, string>) => ({
  body: 'x'.repeat(bytes),
  attributes,
});

describe('sqsBatches', () => {
  it('groups messages ten at a time, in order', () => {
    const messages = Array.from({ length: 23 }, (_, i) => ({ body: String(i) }));
    const batches = sqsBatches(messages);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(messages);
  });

  it('starts a new request before one would pass 1 MiB in all', () => {
    const big = message(400 * 1024);
    const batches = sqsBatches([big, big, big, message(10)]);
    expect(batches.map((b) => b.length)).toEqual([2, 2]);
    for (const batch of batches) {
      expect(batch.reduce((n, m) => n + messageBytes(m), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    }
  });

  it('counts bytes as SQS does: UTF-8 body plus attribute names, types and values', () => {
    expect(messageBytes({ body: 'é🎁' })).toBe(6);
    expect(messageBytes({ body: 'a', attributes: { code: 'x1' } })).toBe(1 + 4 + 6 + 2);
  });

  it('gives a message bigger than a whole request one of its own, and nothing for no messages', () => {
    expect(sqsBatches([message(10), message(MAX_BATCH_BYTES + 1), message(10)]).map((b) => b.length)).toEqual(
      [1, 1, 1],
    );
    expect(sqsBatches([])).toEqual([]);
  });
});
