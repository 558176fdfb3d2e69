import { describe, expect, it } from 'vitest';
import {
  backoffSeconds,
  MAX_VISIBILITY_SECONDS,
  type RetryPolicy,
  retryDelaySeconds,
  rideOutSeconds,
} from '../../../shared/queue-worker/retry-policy.js';

/** The budgets of CONTRACTS.md. */
const INBOX: RetryPolicy = { maxAttempts: 15, baseSeconds: 30, maxSeconds: 900 };
const OUTBOX: RetryPolicy = { maxAttempts: 20, baseSeconds: 30, maxSeconds: 1800 };

describe('retry policy', () => {
  it('doubles from the base up to the cap', () => {
    const delays = Array.from({ length: 8 }, (_, i) => backoffSeconds(i + 1, INBOX, () => 0));
    expect(delays).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('adds at most 10 % jitter, and never more than SQS allows', () => {
    expect(backoffSeconds(3, INBOX, () => 0.999)).toBe(132);
    expect(backoffSeconds(40, { maxAttempts: 50, baseSeconds: 60, maxSeconds: 10 ** 9 }, () => 1)).toBe(
      MAX_VISIBILITY_SECONDS,
    );
  });

  it('honours a Retry-After within 0 to 12 h', () => {
    expect(retryDelaySeconds(1, INBOX, 7.2)).toBe(8);
    expect(retryDelaySeconds(1, INBOX, 10 ** 7)).toBe(MAX_VISIBILITY_SECONDS);
    expect(retryDelaySeconds(1, INBOX, -5)).toBe(0);
  });

  it('rides out at least 2 h on the inbox and 6 h on the outbox (issue 8)', () => {
    expect(rideOutSeconds(INBOX)).toBe(9_030); // 2 h 30 min before jitter
    expect(rideOutSeconds(OUTBOX)).toBe(25_290); // 7 h 01 min before jitter
    expect(rideOutSeconds(INBOX)).toBeGreaterThanOrEqual(2 * 3600);
    expect(rideOutSeconds(OUTBOX)).toBeGreaterThanOrEqual(6 * 3600);
  });
});
