import { describe, expect, it } from 'vitest';
import type { CallSummary } from '../../../bench/aws-calls/call-log.js';
import type { TopicCalls } from '../../../bench/aws-calls/measure-calls.js';
import {
  deliverBatchMs,
  deliverDynamoTrips,
  expectedMax,
  perInstance,
  recordMs,
  sizeFor,
  TYPICAL,
  worstQueueWaitSeconds,
} from '../../../bench/load/capacity-model.js';
import type { MixedTopic } from '../../../bench/load/topic-costs.js';

const summary = (overrides: Partial<CallSummary>): CallSummary => ({
  dynamoReads: 0,
  dynamoWrites: 0,
  failedConditions: 0,
  sqsCalls: 0,
  sqsMessages: 0,
  schedulerCalls: 0,
  readUnits: 0,
  writeUnits: 0,
  sqsBilledRequests: 0,
  indexedWrites: 0,
  roundTrips: 0,
  byCommand: {},
  writesByItem: {},
  ...overrides,
});

const topic = (share: number, worker: Partial<CallSummary>): MixedTopic => ({
  topic: 'x',
  share,
  calls: { worker: summary(worker) } as TopicCalls,
});

describe('capacity model', () => {
  it('times a record as its chain of calls, each at its service latency', () => {
    const calls = { worker: summary({ roundTrips: 6, sqsCalls: 1, schedulerCalls: 1 }) } as TopicCalls;
    expect(recordMs(calls, TYPICAL)).toBe(4 * TYPICAL.dynamoMs + TYPICAL.sqsMs + TYPICAL.schedulerMs);
  });

  it('takes the expected slowest of a batch, not the average', () => {
    expect(expectedMax([{ value: 7, p: 1 }], 10)).toBe(7);
    // Two draws of a fair coin between 1 and 3: the larger is 3 unless both are 1 (1 in 4).
    expect(
      expectedMax(
        [
          { value: 1, p: 0.5 },
          { value: 3, p: 0.5 },
        ],
        2,
      ),
    ).toBeCloseTo(2.5);
    expect(
      expectedMax(
        [
          { value: 1, p: 0.9 },
          { value: 3, p: 0.1 },
        ],
        10,
      ),
    ).toBeGreaterThan(1.9);
  });

  it('waits nothing when five batches keep up, a while when Lambda must scale, forever when it cannot', () => {
    expect(worstQueueWaitSeconds(10, 100, 10)).toBe(0);
    const scaling = worstQueueWaitSeconds(200, 10, 30);
    expect(scaling).toBeGreaterThan(0);
    expect(scaling).toBeLessThan(60);
    expect(worstQueueWaitSeconds(200, 10, 10)).toBe(Number.POSITIVE_INFINITY);
  });

  it('sizes more consumers for a higher rate or slower work, and keeps the lag bounded', () => {
    const light = [topic(1, { roundTrips: 3, sqsCalls: 1, sqsMessages: 1 })];
    const heavy = [topic(1, { roundTrips: 12, sqsCalls: 1, sqsMessages: 3 })];
    expect(perInstance(heavy, TYPICAL).webhooks).toBeLessThan(perInstance(light, TYPICAL).webhooks);
    const small = sizeFor(heavy, 50, TYPICAL);
    const big = sizeFor(heavy, 200, TYPICAL);
    expect(big.processConcurrency).toBeGreaterThan(small.processConcurrency);
    expect(big.deliverConcurrency).toBeGreaterThan(small.deliverConcurrency);
    expect(Number.isFinite(big.worstLagSeconds)).toBe(true);
  });

  it("slows a deliver batch by deliver's own DynamoDB round trips", () => {
    const withTrips = (trips: number): MixedTopic => ({
      topic: 'x',
      share: 1,
      calls: { worker: summary({}), deliver: summary({ roundTrips: trips }) } as TopicCalls,
    });
    expect(deliverDynamoTrips([withTrips(3), { ...withTrips(1), share: 0 }])).toBe(3);
    expect(deliverBatchMs(TYPICAL, 3)).toBe(deliverBatchMs(TYPICAL) + 3 * TYPICAL.dynamoMs);
    expect(perInstance([withTrips(3)], TYPICAL).messages).toBeLessThan(
      perInstance([withTrips(0)], TYPICAL).messages,
    );
  });
});
