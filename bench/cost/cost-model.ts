import type { TopicCalls } from '../aws-calls/measure-calls.js';
import { recordMs, TYPICAL } from '../load/capacity-model.js';
import { type MixedTopic, perWebhook } from '../load/topic-costs.js';

/**
 * us-east-1 public prices, the list docs/deploy.md §11 states (Lambda arm64, HTTP API, SQS standard, DynamoDB
 * on-demand, EventBridge Scheduler after its free 14M invocations, CloudWatch).
 */
export const PRICES = {
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  httpApiRequest: 1.0 / 1e6,
  sqsRequest: 0.4 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  schedulerInvocation: 1.0 / 1e6,
  schedulerFreeInvocations: 14e6,
  logsIngestedGb: 0.5,
};

/** Memory of every function (cdk/constructs/connector-function.ts default). */
const MEMORY_GB = 0.5;
/**
 * What this work does not change, from docs/deploy.md §11 (estimates there, kept): DynamoDB storage and PITR per
 * million webhooks, CloudWatch Logs per webhook, and the fixed monthly lines (about 100 EMF metric names at $0.30,
 * 25 alarms on about 47 metrics (21 of the pipeline, 4 of reconciliation), the dashboard, three secrets (webhook,
 * destination, Admin API) and their cached reads).
 */
const STORAGE_PER_MILLION = 0.54;
const LOG_KB_PER_WEBHOOK = 5.4;
const FIXED = { metrics: 30, alarms: 4.7, dashboard: 3, secrets: 1.3 };
/**
 * Cart checks fired per webhook: about one cart or checkout in six of the mix's cart and checkout webhooks is new
 * (each update of a cart is its own webhook), and a new cart fires about 1.3 checks (step 1 unless the order came
 * first, a lazy reschedule for some, step 2 for the still-abandoned). An assumption, not a measurement.
 */
export const CART_CHECKS_PER_WEBHOOK = 0.12;
/** Idle long polls of the two event source mappings: 5 pollers each, a 20 s poll, all month. */
const IDLE_POLLS_PER_MONTH = 2 * 5 * 3 * 60 * 24 * 30;

/** What one webhook of the mix costs in billable units. */
export interface WebhookUnits {
  readonly apiRequests: number;
  readonly lambdaInvocations: number;
  readonly lambdaGbSeconds: number;
  readonly sqsRequests: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly schedulerInvocations: number;
}

/** A design's per-webhook figures where they differ from what was measured (the naive comparison). */
export interface DesignDelta {
  /** Scheduler API round trips added per webhook (free calls, but Lambda time). */
  readonly schedulerRoundTrips: number;
  readonly extraWriteUnits: number;
}

const NO_DELTA: DesignDelta = { schedulerRoundTrips: 0, extraWriteUnits: 0 };

/**
 * Billable units of one webhook of the mix, from Target 2's counts: every request the code sends (refused
 * conditional writes at 1 unit, index writes 1 unit more), Lambda's own receive and delete per batch, batches of one
 * (below a few webhooks a second the event source mapping hands records over one at a time), and Lambda time as the
 * record's round trips at typical latencies plus its CPU.
 */
export const webhookUnits = (topics: readonly MixedTopic[], delta: DesignDelta = NO_DELTA): WebhookUnits => {
  const mean = (of: (calls: TopicCalls) => number) => perWebhook(topics, of);
  const deliverCalls = mean((c) => c.customerIoCalls);
  const processMs =
    mean((c) => recordMs(c, TYPICAL)) +
    TYPICAL.processCpuMs +
    delta.schedulerRoundTrips * TYPICAL.schedulerMs;
  const ingestMs = TYPICAL.sqsMs + 5;
  // A deliver invocation: the Track API call and its DynamoDB round trips (identify ordering, activity record).
  const deliverMs = TYPICAL.customerIoMs + TYPICAL.deliverCpuMs;
  const deliverDynamoMs = mean((c) => c.deliver.roundTrips) * TYPICAL.dynamoMs;
  const cartCheckMs = 8 * TYPICAL.dynamoMs + TYPICAL.sqsMs + TYPICAL.schedulerMs;
  const invocations = { ingest: 1, process: 1, deliver: deliverCalls, cartCheck: CART_CHECKS_PER_WEBHOOK };
  return {
    apiRequests: 1,
    lambdaInvocations: invocations.ingest + invocations.process + invocations.deliver + invocations.cartCheck,
    lambdaGbSeconds:
      (MEMORY_GB *
        (ingestMs +
          processMs +
          deliverCalls * deliverMs +
          deliverDynamoMs +
          CART_CHECKS_PER_WEBHOOK * cartCheckMs)) /
      1000,
    // Our sends and visibility changes, plus a receive and a delete for each process and deliver batch.
    sqsRequests: mean((c) => c.total.sqsBilledRequests) + 2 * (invocations.process + invocations.deliver),
    writeUnits: mean((c) => c.total.writeUnits + c.total.indexedWrites) + delta.extraWriteUnits,
    readUnits: mean((c) => c.total.readUnits),
    schedulerInvocations: CART_CHECKS_PER_WEBHOOK,
  };
};

/** One line of the monthly bill. */
export interface CostLine {
  readonly component: string;
  readonly dollars: number;
}

/** The monthly bill of `webhooks` webhooks a month. */
export const monthlyCost = (units: WebhookUnits, webhooks: number): CostLine[] => {
  const scheduler = Math.max(0, units.schedulerInvocations * webhooks - PRICES.schedulerFreeInvocations);
  return [
    { component: 'API Gateway HTTP API', dollars: units.apiRequests * webhooks * PRICES.httpApiRequest },
    { component: 'Lambda requests', dollars: units.lambdaInvocations * webhooks * PRICES.lambdaRequest },
    {
      component: 'Lambda compute (arm64, 512 MB)',
      dollars: units.lambdaGbSeconds * webhooks * PRICES.lambdaGbSecond,
    },
    { component: 'SQS', dollars: (units.sqsRequests * webhooks + IDLE_POLLS_PER_MONTH) * PRICES.sqsRequest },
    { component: 'DynamoDB writes', dollars: units.writeUnits * webhooks * PRICES.dynamoWriteUnit },
    { component: 'DynamoDB reads', dollars: units.readUnits * webhooks * PRICES.dynamoReadUnit },
    { component: 'DynamoDB storage + PITR', dollars: (STORAGE_PER_MILLION * webhooks) / 1e6 },
    { component: 'EventBridge Scheduler', dollars: scheduler * PRICES.schedulerInvocation },
    {
      component: 'CloudWatch Logs',
      dollars: (LOG_KB_PER_WEBHOOK * webhooks * PRICES.logsIngestedGb) / 1024 ** 2,
    },
    {
      component: 'CloudWatch metrics, alarms, dashboard',
      dollars: FIXED.metrics + FIXED.alarms + FIXED.dashboard,
    },
    { component: 'Secrets Manager', dollars: FIXED.secrets },
  ];
};

/** The sum of a bill. */
export const total = (lines: readonly CostLine[]): number =>
  lines.reduce((sum, line) => sum + line.dollars, 0);

/**
 * The naive design of issue 12 on top of the measured "before": every cart or checkout update also moves its check
 * at the Scheduler (delete + create: two API round trips in process) and records the new pending check (one more
 * write), instead of the first activity scheduling once and the check rescheduling itself lazily.
 */
export const naiveDelta = (topics: readonly MixedTopic[]): DesignDelta => {
  const cartUpdates = topics
    .filter((t) => t.topic === 'carts/update' || t.topic === 'checkouts/update')
    .reduce((sum, t) => sum + t.share, 0);
  return { schedulerRoundTrips: 2 * cartUpdates, extraWriteUnits: cartUpdates };
};
