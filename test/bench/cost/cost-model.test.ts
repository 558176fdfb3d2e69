import { describe, expect, it } from 'vitest';
import type { CallSummary } from '../../../bench/aws-calls/call-log.js';
import type { TopicCalls } from '../../../bench/aws-calls/measure-calls.js';
import { monthlyCost, naiveDelta, total, webhookUnits } from '../../../bench/cost/cost-model.js';
import type { MixedTopic } from '../../../bench/load/topic-costs.js';

const summary = (overrides: Partial<CallSummary> = {}): CallSummary => ({
  dynamoReads: 1,
  dynamoWrites: 4,
  failedConditions: 0,
  sqsCalls: 2,
  sqsMessages: 2,
  schedulerCalls: 0,
  readUnits: 1,
  writeUnits: 4,
  sqsBilledRequests: 2,
  indexedWrites: 1,
  roundTrips: 6,
  byCommand: {},
  writesByItem: {},
  ...overrides,
});

const topic = (name: string, share: number, deliverTrips = 3): MixedTopic => ({
  topic: name,
  share,
  calls: {
    worker: summary(),
    deliver: summary({ roundTrips: deliverTrips }),
    total: summary(),
    customerIoCalls: 1,
  } as unknown as TopicCalls,
});

const topics = [topic('orders/create', 0.5), topic('carts/update', 0.5)];

describe('cost model', () => {
  it('bills write units with their index writes, and SQS with Lambda’s receive and delete per batch', () => {
    const units = webhookUnits(topics);
    expect(units.writeUnits).toBe(5);
    // 2 sent by the code, a receive and a delete for the process batch and for the deliver batch.
    expect(units.sqsRequests).toBe(6);
  });

  it('grows by the webhook from a fixed floor (metrics, alarms, dashboard, secrets, idle polls)', () => {
    const units = webhookUnits(topics);
    const floor = total(monthlyCost(units, 0));
    expect(floor).toBeGreaterThan(30);
    const perMillion = total(monthlyCost(units, 1_000_000)) - floor;
    expect(total(monthlyCost(units, 10_000_000)) - floor).toBeCloseTo(10 * perMillion, 6);
  });

  it("counts deliver's DynamoDB round trips (identify ordering, activity record) as Lambda time", () => {
    const quiet = webhookUnits([topic('orders/create', 1, 0)]);
    const ordered = webhookUnits([topic('orders/create', 1, 3)]);
    expect(ordered.lambdaGbSeconds).toBeGreaterThan(quiet.lambdaGbSeconds);
  });

  it('charges the Scheduler only past its free 14M invocations a month', () => {
    const scheduler = (volume: number) =>
      monthlyCost(webhookUnits(topics), volume).find((l) => l.component === 'EventBridge Scheduler')?.dollars;
    expect(scheduler(10_000_000)).toBe(0);
    expect(scheduler(200_000_000)).toBeGreaterThan(0);
  });

  it('makes the naive design pay a Scheduler move and a write for each cart update', () => {
    const delta = naiveDelta(topics);
    expect(delta).toEqual({ schedulerRoundTrips: 1, extraWriteUnits: 0.5 });
    expect(webhookUnits(topics, delta).lambdaGbSeconds).toBeGreaterThan(webhookUnits(topics).lambdaGbSeconds);
  });
});
