import { describe, expect, it } from 'vitest';
import { availableNow, waitBeforeMs } from '../../../../shared/admin-api/shopify/throttle.js';

const reading = (currentlyAvailable: number, at = 0) => ({
  status: { maximumAvailable: 1000, currentlyAvailable, restoreRate: 50 },
  at,
});

describe('Shopify cost bucket', () => {
  it('refills at the restore rate and never above the maximum', () => {
    expect(availableNow(reading(100), 2_000)).toBe(200);
    expect(availableNow(reading(990), 60_000)).toBe(1000);
  });

  it('waits exactly long enough for a query’s cost to refill, and not at all when it fits', () => {
    expect(waitBeforeMs(undefined, 500, 0)).toBe(0);
    expect(waitBeforeMs(reading(600), 500, 0)).toBe(0);
    expect(waitBeforeMs(reading(100), 300, 0)).toBe(4_000);
    expect(waitBeforeMs(reading(100), 300, 1_000)).toBe(3_000);
  });

  it('waits for a full bucket, not forever, when a query costs more than the bucket holds', () => {
    expect(waitBeforeMs(reading(0), 5_000, 0)).toBe(20_000);
  });
});
