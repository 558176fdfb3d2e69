import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, MathExpression, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ConnectorFunction } from '../connector-function.js';
import type { ConnectorTable } from '../connector-table.js';
import type { DeadLetterQueue } from '../dead-letter-queue.js';
import type { QueueWithDlq } from '../queue-with-dlq.js';
import type { AlarmTopic } from './alarm-topic.js';
import { type ConnectorService, connectorMetric, sumOfCounters } from './connector-metrics.js';

/** Props of {@link ConnectorAlarms}. */
export interface ConnectorAlarmsProps {
  /** Where every alarm notifies. */
  readonly topic: AlarmTopic;
  readonly inbox: QueueWithDlq;
  readonly outbox: QueueWithDlq;
  readonly cartCheckDlq: DeadLetterQueue;
  readonly schedulerDlq: DeadLetterQueue;
  /** The four functions, by their `service` name. */
  readonly functions: Readonly<Record<ConnectorService, ConnectorFunction>>;
  /** The webhook API. */
  readonly api: HttpApi;
  readonly table: ConnectorTable;
  /**
   * The `WebhookRejected_<reason>` reasons that mean "a genuine sender is being refused": a rotated secret not yet
   * deployed, a clock or replay-window problem, or a shop (or one of its platform secrets) missing from the
   * configuration. Each of these answers 401, which platforms retry for hours and then drop.
   * @default ['invalid_signature', 'stale_timestamp', 'unknown_shop', 'not_configured', 'shop_mismatch']
   */
  readonly signatureRejectReasons?: readonly string[];
}

/**
 * An event 30 minutes late makes a 15-minute cart reminder useless. The oldest message of either queue pages at
 * 10 minutes, held for 3 one-minute datapoints (a spike that drains at once pages nobody): the on-call hears by
 * about minute 13, and even an event that waits just under that in both queues is under 30 minutes late. Worker
 * backoff does not trip it: SQS leaves a message received three times out of this metric, and the first three
 * backoffs add up to 3.5 minutes.
 */
const QUEUE_AGE_SECONDS = 600;
const QUEUE_AGE_MINUTES_HELD = 3;

/**
 * Lambda errors: one or two in 5 minutes are a hiccup the queue or async retry absorbs (a timeout at a cold start);
 * three are a pattern. Partial batch failures are not Lambda errors, so this counts only crashes and timeouts.
 */
const LAMBDA_ERRORS_PER_5_MIN = 3;

/**
 * Lambda throttles, by how soon they hurt: ingest's answer a platform with an error at once (1 period); process and
 * deliver are retried by the event source (2 periods, 10 minutes); cart-check waits in Lambda's async queue by
 * design when its reserved concurrency is full (3 periods: reminders are 15 minutes late).
 */
const THROTTLE_PERIODS: Readonly<Record<ConnectorService, number>> = {
  ingest: 1,
  process: 2,
  deliver: 2,
  'cart-check': 3,
};

/**
 * Ingest 5xx: five refused deliveries in 5 minutes are beyond a blip, and Shopify removes a subscription whose
 * deliveries keep failing. (The senders retry, so a single 503 loses nothing.)
 */
const INGEST_5XX_PER_5_MIN = 5;

/**
 * Signature rejections: at least 5 in 15 minutes and at least a fifth of all signed deliveries. A rotated secret
 * fails every delivery of its platform, so both hold within minutes for any shop with real traffic; a few stray
 * probes with bad signatures against a busy endpoint stay under a fifth.
 */
const SIGNATURE_REJECTIONS_MIN = 5;
/**
 * Refusals a genuine sender gets when the connector is misconfigured. unknown_shop and not_configured answered 500
 * (and paged through ingest-5xx) before shops were configuration; as 401s that outsiders can also cause, they page
 * here, as a share of the traffic, like a bad signature.
 */
const DEFAULT_SIGNATURE_REJECT_REASONS = [
  'invalid_signature',
  'stale_timestamp',
  'unknown_shop',
  'not_configured',
  'shop_mismatch',
] as const;
const SIGNATURE_REJECTION_SHARE = 0.2;

/**
 * Customer.io failure rate: failed calls (5xx, timeouts, 429) and refused items against accepted items, over 5
 * minutes, at 10 % or more for 3 periods in a row and at least 5 failures (one failure of one is not a rate). The
 * outbox's retry budget rides out 7.5 hours, so a 15-minute blip pages nobody, while an outage is known long before
 * the budget runs out. Calls and items are mixed on purpose: a full outage has no accepted items at all (100 %).
 */
const CUSTOMERIO_FAILURE_PERCENT = 10;
const CUSTOMERIO_FAILURES_MIN = 5;
const CUSTOMERIO_FAILURE_PERIODS = 3;

/**
 * Cart-check failures and schedule-creation failures: 3 in 15 minutes. One failing check is tried three times
 * (Lambda's two async retries), one failing CreateSchedule retries with the inbox backoff (30 s, 60 s, 120 s): 3
 * in 15 minutes is one record failing every try, or several failing at once — not a transient error.
 */
const CART_FAILURES_PER_15_MIN = 3;

/**
 * DynamoDB throttling: on-demand tables still throttle a hot partition or a jump past twice the previous peak. The
 * SDK retries a throttled request, so a few pass unnoticed; 10 in 5 minutes is load the table is not keeping up with.
 */
const DYNAMODB_THROTTLES_PER_5_MIN = 10;

const FIVE_MINUTES = Duration.minutes(5);
const FIFTEEN_MINUTES = Duration.minutes(15);

/** Every alarm of the connector, each notifying the alarm topic and naming its runbook section. */
export class ConnectorAlarms extends Construct {
  constructor(scope: Construct, id: string, props: ConnectorAlarmsProps) {
    super(scope, id);
    const { topic } = props;
    const above = ComparisonOperator.GREATER_THAN_THRESHOLD;
    const atLeast = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;

    // Any message in any DLQ: every one is a record that needs a person (the worker parked it with a reason).
    const deadLetters = [
      ['InboxDlq', props.inbox.deadLetterQueue, 'dlq-inbox', 'A webhook or beacon could not be processed'],
      [
        'OutboxDlq',
        props.outbox.deadLetterQueue,
        'dlq-outbox',
        'An event could not be delivered to Customer.io',
      ],
      ['CartCheckDlq', props.cartCheckDlq, 'dlq-cart-check', 'A cart check failed every retry or was parked'],
      [
        'SchedulerDlq',
        props.schedulerDlq,
        'dlq-scheduler',
        'EventBridge Scheduler could not invoke a cart check',
      ],
    ] as const;
    for (const [name, dlq, runbook, what] of deadLetters) {
      topic.alarm(this, `${name}NotEmpty`, {
        summary: `${what}: a message is waiting in the ${name} with its failure reason.`,
        runbook,
        metric: dlq.metricWaiting(),
        threshold: 0,
        comparisonOperator: above,
        evaluationPeriods: 1,
      });
    }

    for (const [name, queue] of [
      ['Inbox', props.inbox],
      ['Outbox', props.outbox],
    ] as const) {
      topic.alarm(this, `${name}OldestMessageAge`, {
        summary: `The oldest ${name.toLowerCase()} message is over ${QUEUE_AGE_SECONDS / 60} minutes old: events are late.`,
        runbook: 'queue-age',
        metric: queue.metricOldestAge(),
        threshold: QUEUE_AGE_SECONDS,
        comparisonOperator: atLeast,
        evaluationPeriods: QUEUE_AGE_MINUTES_HELD,
      });
    }

    for (const [service, fn] of Object.entries(props.functions) as [ConnectorService, ConnectorFunction][]) {
      const name = service.replace(/(^|-)(\w)/g, (_, _dash, letter: string) => letter.toUpperCase());
      topic.alarm(this, `${name}Errors`, {
        summary: `The ${service} function is failing (crashes or timeouts).`,
        runbook: 'lambda-errors',
        metric: fn.lambdaFunction.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: LAMBDA_ERRORS_PER_5_MIN,
        comparisonOperator: atLeast,
        evaluationPeriods: 1,
      });
      topic.alarm(this, `${name}Throttles`, {
        summary: `The ${service} function is being throttled (concurrency exhausted).`,
        runbook: 'lambda-throttles',
        metric: fn.lambdaFunction.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: 1,
        comparisonOperator: atLeast,
        evaluationPeriods: THROTTLE_PERIODS[service],
      });
    }

    topic.alarm(this, 'Ingest5xx', {
      summary: 'The webhook API is answering 5xx: platforms are retrying, and may disable the subscription.',
      runbook: 'ingest-5xx',
      metric: props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      threshold: INGEST_5XX_PER_5_MIN,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });

    const reasons = props.signatureRejectReasons ?? DEFAULT_SIGNATURE_REJECT_REASONS;
    const rejectedIds = reasons.map((_, i) => `r${i}`);
    const rejected = rejectedIds.map((metricId) => `FILL(${metricId}, 0)`).join(' + ');
    topic.alarm(this, 'SignatureRejections', {
      summary:
        'Many webhooks are refused (401): a rotated secret not yet in the webhook secret, a shop or platform ' +
        'secret not configured, or a forged flood.',
      runbook: 'signature-rejections',
      metric: new MathExpression({
        expression:
          `IF((${rejected}) >= ${SIGNATURE_REJECTIONS_MIN} AND (${rejected}) >= ` +
          `${SIGNATURE_REJECTION_SHARE} * (FILL(accepted, 0) + ${rejected}), ${rejected}, 0)`,
        usingMetrics: {
          accepted: connectorMetric('ingest', 'WebhookAccepted', { period: FIFTEEN_MINUTES }),
          ...Object.fromEntries(
            reasons.map((reason, i) => [
              rejectedIds[i],
              connectorMetric('ingest', `WebhookRejected_${reason}`, { period: FIFTEEN_MINUTES }),
            ]),
          ),
        },
        label: 'Signature rejections (when a spike)',
        period: FIFTEEN_MINUTES,
      }),
      threshold: SIGNATURE_REJECTIONS_MIN,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });

    topic.alarm(this, 'CustomerIoAuthFailed', {
      summary:
        'Customer.io refused the credentials (401/403): nothing is being delivered. Check the destination secret.',
      runbook: 'customerio-auth',
      // At once: no retry fixes a revoked key, and every minute adds to the outbox.
      metric: connectorMetric('deliver', 'CustomerIoAuthFailed', { period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });

    const cio = (name: string) => connectorMetric('deliver', name, { period: FIVE_MINUTES });
    const failures = 'FILL(se, 0) + FILL(tm, 0) + FILL(rl, 0) + FILL(rj, 0)';
    topic.alarm(this, 'CustomerIoFailureRate', {
      summary:
        'A large share of Customer.io calls fail (5xx, timeouts, 429 or refused items): deliveries are late.',
      runbook: 'customerio-failures',
      metric: new MathExpression({
        expression: `IF((${failures}) >= ${CUSTOMERIO_FAILURES_MIN}, 100 * (${failures}) / (${failures} + FILL(ok, 0)), 0)`,
        usingMetrics: {
          se: cio('CustomerIoServerError'),
          tm: cio('CustomerIoTimeout'),
          rl: cio('CustomerIoRateLimited'),
          rj: cio('CustomerIoRejected'),
          ok: cio('CustomerIoAccepted'),
        },
        label: 'Customer.io failure %',
        period: FIVE_MINUTES,
      }),
      threshold: CUSTOMERIO_FAILURE_PERCENT,
      comparisonOperator: atLeast,
      evaluationPeriods: CUSTOMERIO_FAILURE_PERIODS,
    });

    topic.alarm(this, 'CartCheckFailures', {
      summary: 'Cart checks are failing: abandoned-cart reminders are late or missing.',
      runbook: 'cart-check-failures',
      metric: connectorMetric('cart-check', 'CartCheckFailed', { period: FIFTEEN_MINUTES }),
      threshold: CART_FAILURES_PER_15_MIN,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });

    topic.alarm(this, 'ScheduleCreateFailures', {
      summary: 'EventBridge Scheduler refuses to create cart checks: new carts get no reminders.',
      runbook: 'schedule-failures',
      metric: sumOfCounters(
        'ScheduleCreateFailed',
        [
          connectorMetric('process', 'ScheduleCreateFailed', { period: FIFTEEN_MINUTES }),
          connectorMetric('cart-check', 'ScheduleCreateFailed', { period: FIFTEEN_MINUTES }),
        ],
        FIFTEEN_MINUTES,
      ),
      threshold: CART_FAILURES_PER_15_MIN,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });

    topic.alarm(this, 'DynamoDbThrottling', {
      summary: 'DynamoDB is throttling the connector table: records are retrying and queues may grow.',
      runbook: 'dynamodb-throttling',
      metric: props.table.metricThrottleEvents(),
      threshold: DYNAMODB_THROTTLES_PER_5_MIN,
      comparisonOperator: atLeast,
      evaluationPeriods: 1,
    });
  }
}
