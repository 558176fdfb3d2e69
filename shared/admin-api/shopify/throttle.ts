import * as z from 'zod';

/** Shopify's cost bucket after a call (`extensions.cost.throttleStatus`). */
const ThrottleStatusSchema = z.object({
  maximumAvailable: z.number().nonnegative(),
  currentlyAvailable: z.number().nonnegative(),
  restoreRate: z.number().positive(),
});
/** A cost bucket's state. */
type ThrottleStatus = z.infer<typeof ThrottleStatusSchema>;

/** `extensions.cost` of a GraphQL Admin API answer. */
export const QueryCostSchema = z.object({
  requestedQueryCost: z.number().nonnegative(),
  actualQueryCost: z.number().nonnegative().nullish(),
  throttleStatus: ThrottleStatusSchema,
});

/** What the client remembers of the bucket: its last reported state and when it was reported. */
export interface BucketReading {
  readonly status: ThrottleStatus;
  readonly at: number;
}

/** Points the bucket holds now, after refilling at `restoreRate` since it was read (never above the maximum). */
export const availableNow = (reading: BucketReading, now: number): number =>
  Math.min(
    reading.status.maximumAvailable,
    reading.status.currentlyAvailable + (reading.status.restoreRate * Math.max(0, now - reading.at)) / 1000,
  );

/**
 * How long to wait before a query that may cost `cost` points, so it is not throttled: nothing while the bucket
 * holds enough, else the time it takes to refill the difference. A query costlier than the whole bucket can never
 * run (the caller refuses it); the wait is then the time to fill the bucket.
 */
export const waitBeforeMs = (reading: BucketReading | undefined, cost: number, now: number): number => {
  if (!reading) return 0;
  const needed = Math.min(cost, reading.status.maximumAvailable) - availableNow(reading, now);
  return needed <= 0 ? 0 : Math.ceil((needed / reading.status.restoreRate) * 1000);
};
