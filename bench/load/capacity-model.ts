import type { TopicCalls } from '../aws-calls/measure-calls.js';
import { type MixedTopic, perWebhook } from './topic-costs.js';

/**
 * Assumed AWS latencies (ms), not measured here: DynamoDB single-item reads and writes are "single-digit
 * millisecond" (AWS), SQS sends tens of ms, a Scheduler API call a few tens, Customer.io's Track batch an external
 * round trip; the Lambda figures are the event source mapping's hand-off and the CPU a record costs at 512 MB (about
 * a third of a vCPU: Target 1's microseconds × 3, rounded up). Change them here to what X-Ray shows in your account.
 */
export interface Latencies {
  readonly dynamoMs: number;
  readonly sqsMs: number;
  readonly schedulerMs: number;
  readonly customerIoMs: number;
  /** Event source mapping → function and back, per batch. */
  readonly invokeMs: number;
  readonly processCpuMs: number;
  readonly deliverCpuMs: number;
}

export const TYPICAL: Latencies = {
  dynamoMs: 5,
  sqsMs: 12,
  schedulerMs: 30,
  customerIoMs: 150,
  invokeMs: 20,
  processCpuMs: 2,
  deliverCpuMs: 0.5,
};

export const SLOW: Latencies = {
  dynamoMs: 20,
  sqsMs: 50,
  schedulerMs: 100,
  customerIoMs: 800,
  invokeMs: 80,
  processCpuMs: 4,
  deliverCpuMs: 1,
};

/** Lambda's SQS scaling: 5 batches at once at first, then up to 300 more per minute (AWS Lambda docs). */
const START_INSTANCES = 5;
const ADDED_PER_SECOND = 300 / 60;
/** Records per batch (the CDK app's batch size, and SQS's most per receive). */
export const BATCH_SIZE = 10;
/** Instances sized so each is busy at most this share of the time: headroom for bursts and slow calls. */
export const TARGET_UTILIZATION = 0.7;

/** One webhook's time in the process worker: its chain of sequential calls, each at its service's latency. */
export const recordMs = (calls: TopicCalls, lat: Latencies): number => {
  const trips = calls.worker.roundTrips;
  const sqs = calls.worker.sqsCalls > 0 ? 1 : 0;
  const scheduler = calls.worker.schedulerCalls > 0 ? 1 : 0;
  return Math.max(0, trips - sqs - scheduler) * lat.dynamoMs + sqs * lat.sqsMs + scheduler * lat.schedulerMs;
};

/** The expected largest of `n` draws from a discrete distribution (the slowest record of a batch). */
export const expectedMax = (values: readonly { value: number; p: number }[], n: number): number => {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  let below = 0;
  let expected = 0;
  for (const { value, p } of sorted) {
    const atMost = Math.min(1, below + p);
    expected += value * (atMost ** n - below ** n);
    below = atMost;
  }
  return expected;
};

/**
 * A process batch: records run at once (the record runner), so the batch waits for its slowest record's calls,
 * while their CPU adds up (one thread).
 */
export const processBatchMs = (topics: readonly MixedTopic[], lat: Latencies, batch = BATCH_SIZE): number =>
  lat.invokeMs +
  expectedMax(
    topics.map((t) => ({ value: recordMs(t.calls, lat), p: t.share })),
    batch,
  ) +
  batch * lat.processCpuMs;

/**
 * DynamoDB round trips of a deliver batch: the identify-ordering claims before the Track API call and their release
 * after it (each wave concurrent across the batch's people), and the activity record. The most any topic of the mix
 * measured (a batch of mixed messages waits for all three waves).
 */
export const deliverDynamoTrips = (topics: readonly MixedTopic[]): number =>
  Math.max(0, ...topics.map((t) => t.calls.deliver?.roundTrips ?? 0));

/** A deliver batch: one Track API call for up to 10 outbox messages, and deliver's DynamoDB round trips. */
export const deliverBatchMs = (lat: Latencies, dynamoTrips = 0, batch = BATCH_SIZE): number =>
  lat.invokeMs + dynamoTrips * lat.dynamoMs + lat.customerIoMs + batch * lat.deliverCpuMs;

/** Throughput of one unit of consumer concurrency (one batch at a time). */
export interface PerInstance {
  /** Webhooks per second one process instance handles. */
  readonly webhooks: number;
  /** Outbox messages per second one deliver instance hands to Customer.io. */
  readonly messages: number;
}

export const perInstance = (topics: readonly MixedTopic[], lat: Latencies): PerInstance => ({
  webhooks: BATCH_SIZE / (processBatchMs(topics, lat) / 1000),
  messages: BATCH_SIZE / (deliverBatchMs(lat, deliverDynamoTrips(topics)) / 1000),
});

/** Outbox messages one webhook of the mix causes. */
export const messagesPerWebhook = (topics: readonly MixedTopic[]): number =>
  perWebhook(topics, (calls) => calls.worker.sqsMessages);

/**
 * The longest a webhook waits in a queue while Lambda scales the consumers up from 5 batches at once to `limit`
 * (300 more per minute) under a steady `rate`, second by second for `seconds`. Infinite when `limit` instances
 * cannot keep up: the backlog then grows for as long as the peak lasts.
 */
export const worstQueueWaitSeconds = (
  rate: number,
  perUnit: number,
  limit: number,
  seconds = 3600,
): number => {
  if (limit * perUnit < rate) return Number.POSITIVE_INFINITY;
  let backlog = 0;
  let worst = 0;
  for (let t = 0; t < seconds; t += 1) {
    const capacity = Math.min(limit, START_INSTANCES + ADDED_PER_SECOND * t) * perUnit;
    backlog = Math.max(0, backlog + rate - capacity);
    worst = Math.max(worst, backlog / capacity);
    if (backlog === 0 && capacity >= limit * perUnit) break;
  }
  return worst;
};

/** What a peak needs, and the lag it sees. */
export interface Sizing {
  readonly processConcurrency: number;
  readonly deliverConcurrency: number;
  /** Track API requests per second at that rate (full batches). */
  readonly customerIoRequestsPerSecond: number;
  /** Worst webhook → Customer.io lag: queue waits while scaling up, plus a slow batch in each worker. */
  readonly worstLagSeconds: number;
}

/**
 * The worst lag of a steady `rate` with given consumer limits when every call takes `lat`: the queue waits while
 * Lambda scales up (unbounded when the limits cannot keep up), plus one batch in each worker.
 */
export const lagWith = (
  topics: readonly MixedTopic[],
  rate: number,
  limits: { readonly process: number; readonly deliver: number },
  lat: Latencies,
): number => {
  const unit = perInstance(topics, lat);
  const messages = rate * messagesPerWebhook(topics);
  return (
    worstQueueWaitSeconds(rate, unit.webhooks, limits.process) +
    worstQueueWaitSeconds(messages, unit.messages, limits.deliver) +
    (processBatchMs(topics, lat) + deliverBatchMs(lat, deliverDynamoTrips(topics))) / 1000
  );
};

/**
 * Consumer concurrency that keeps a steady `rate` at most {@link TARGET_UTILIZATION} busy when calls take `lat`, and
 * the worst lag it then sees with those latencies.
 */
export const sizeFor = (topics: readonly MixedTopic[], rate: number, lat: Latencies): Sizing => {
  const unit = perInstance(topics, lat);
  const messages = rate * messagesPerWebhook(topics);
  const process = Math.max(2, Math.ceil(rate / (unit.webhooks * TARGET_UTILIZATION)));
  const deliver = Math.max(2, Math.ceil(messages / (unit.messages * TARGET_UTILIZATION)));
  return {
    processConcurrency: process,
    deliverConcurrency: deliver,
    customerIoRequestsPerSecond: messages / BATCH_SIZE,
    worstLagSeconds: lagWith(topics, rate, { process, deliver }, lat),
  };
};
