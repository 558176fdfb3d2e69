import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invocationRecord } from '../../local/lambda-destination.js';
import { LocalRecoveryScheduler } from '../../local/local-scheduler.js';
import type { CartCheckInput } from '../../shared/cart/recovery-scheduler.js';
import { silentLog } from '../../shared/ports/telemetry.js';

describe('LocalRecoveryScheduler: a check that fails every retry', () => {
  it('is retried like Lambda retries it, then handed to the on-failure destination once', async () => {
    const exhausted: { input: CartCheckInput; attempts: number }[] = [];
    const scheduler = new LocalRecoveryScheduler(
      join(mkdtempSync(join(tmpdir(), 'sched-')), 'schedules.json'),
      async () => {
        throw new Error('DynamoDB down');
      },
      {
        log: silentLog,
        maxRetryAttempts: 2,
        retryDelayMs: 0,
        onExhausted: async (input, _error, attempts) => {
          exhausted.push({ input, attempts });
        },
      },
    );
    const now = new Date('2026-11-28T10:00:00.000Z');
    await scheduler.schedule({ shop: 's.myshopify.com', cart_token: 'c1', step: 1, due_at: now });
    for (let i = 0; i < 4; i += 1) await scheduler.fireDue(new Date(now.getTime() + i * 1_000));
    expect(exhausted).toEqual([
      { input: { shop: 's.myshopify.com', cart_token: 'c1', step: 1 }, attempts: 3 },
    ]);
    expect(scheduler.pending()).toEqual([]);
    expect(scheduler.dead()).toHaveLength(1);
  });
});

describe('invocationRecord', () => {
  it('is the record Lambda sends to an on-failure destination, with a scrubbed message', () => {
    const record = invocationRecord(
      'cart-check',
      { shop: 's', cart_token: 'c', step: 1 },
      new TypeError('bad "ann@example.com"'),
      3,
      new Date('2026-11-28T10:00:00.000Z'),
    );
    expect(record).toMatchObject({
      version: '1.0',
      timestamp: '2026-11-28T10:00:00.000Z',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { shop: 's', cart_token: 'c', step: 1 },
      responseContext: { functionError: 'Unhandled' },
      responsePayload: { errorType: 'TypeError', errorMessage: 'bad …' },
    });
  });
});
