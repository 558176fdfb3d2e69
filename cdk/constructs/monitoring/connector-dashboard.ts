import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  SingleValueWidget,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ConnectorFunction } from '../connector-function.js';
import type { DeadLetterQueue } from '../dead-letter-queue.js';
import type { QueueWithDlq } from '../queue-with-dlq.js';
import { type ConnectorService, connectorMetric, searchCounters } from './connector-metrics.js';

/** Props of {@link ConnectorDashboard}. */
export interface ConnectorDashboardProps {
  readonly inbox: QueueWithDlq;
  readonly outbox: QueueWithDlq;
  readonly cartCheckDlq: DeadLetterQueue;
  readonly schedulerDlq: DeadLetterQueue;
  /** The four functions, by their `service` name. */
  readonly functions: Readonly<Record<ConnectorService, ConnectorFunction>>;
  readonly api: HttpApi;
  /** Alarms whose state the dashboard shows at the top. @default - no alarm row */
  readonly alarms?: readonly Alarm[];
}

const WIDTH = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;

/**
 * The connector's one dashboard, top to bottom in the order an incident is read: alarm states; what came in
 * (webhooks per source and topic, rejections by reason); queues and dead letters; delivery to Customer.io (lag
 * p50/p99, calls by outcome); the cart-recovery funnel; then the functions and the API.
 *
 * Metric dimensions are bounded (service only), so the breakdown by source and topic comes from the ingest logs
 * ("webhook accepted" lines carry source and topic) through a Logs Insights widget, which scans the log group each
 * time the dashboard refreshes (billed per GB scanned). Reasons and exits come from metric names
 * (`WebhookRejected_<reason>`, `CartCheckExit_<reason>`) through searches, so new reasons appear without a deploy.
 */
export class ConnectorDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ConnectorDashboardProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    const m = connectorMetric;
    const queues = [
      ['inbox', props.inbox],
      ['outbox', props.outbox],
    ] as const;
    const deadLetters = [
      ['inbox DLQ', props.inbox.deadLetterQueue],
      ['outbox DLQ', props.outbox.deadLetterQueue],
      ['cart-check DLQ', props.cartCheckDlq],
      ['scheduler DLQ', props.schedulerDlq],
    ] as const;
    const functions = Object.entries(props.functions) as [ConnectorService, ConnectorFunction][];

    const rows: IWidget[][] = [];
    if (props.alarms !== undefined && props.alarms.length > 0) {
      rows.push([
        new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: WIDTH, height: 4 }),
      ]);
    }
    rows.push(
      [new TextWidget({ markdown: '## Incoming: webhooks and beacons', width: WIDTH, height: 1 })],
      [
        new LogQueryWidget({
          title: 'Webhooks accepted per source and topic (ingest logs)',
          logGroupNames: [props.functions.ingest.logGroup.logGroupName],
          queryLines: [
            'filter message = "webhook accepted"',
            'stats count(*) as webhooks by source, topic',
            'sort webhooks desc',
            'limit 50',
          ],
          view: LogQueryVisualizationType.TABLE,
          width: HALF,
          height: HEIGHT,
        }),
        new LogQueryWidget({
          title: 'Webhooks rejected per source and reason (ingest logs)',
          logGroupNames: [props.functions.ingest.logGroup.logGroupName],
          queryLines: [
            'filter message = "webhook rejected"',
            'stats count(*) as rejected by source, reason',
            'sort rejected desc',
            'limit 50',
          ],
          view: LogQueryVisualizationType.TABLE,
          width: HALF,
          height: HEIGHT,
        }),
      ],
      [
        new GraphWidget({
          title: 'Accepted',
          left: [
            m('ingest', 'WebhookAccepted'),
            m('ingest', 'BeaconAccepted'),
            m('process', 'DuplicateDelivery'),
            m('process', 'IgnoredTopic'),
          ],
          width: THIRD,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Webhooks rejected by reason',
          left: [searchCounters('ingest', 'WebhookRejected'), m('ingest', 'WebhookTooLarge')],
          width: THIRD,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Beacons rejected by reason',
          left: [searchCounters('ingest', 'BeaconRejected')],
          width: THIRD,
          height: HEIGHT,
        }),
      ],
      [new TextWidget({ markdown: '## Queues and dead letters', width: WIDTH, height: 1 })],
      [
        new GraphWidget({
          title: 'Queue depth (waiting / in flight)',
          left: queues.flatMap(([name, queue]) => [
            queue.queue.metricApproximateNumberOfMessagesVisible({
              period: Duration.minutes(1),
              statistic: Stats.MAXIMUM,
              label: `${name} waiting`,
            }),
            queue.queue.metricApproximateNumberOfMessagesNotVisible({
              period: Duration.minutes(1),
              statistic: Stats.MAXIMUM,
              label: `${name} in flight or backing off`,
            }),
          ]),
          width: THIRD,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Oldest message age (s)',
          left: queues.map(([name, queue]) => queue.metricOldestAge().with({ label: name })),
          // The queue-age alarms' threshold (ConnectorAlarms).
          leftAnnotations: [{ value: 600, label: 'alarm: 10 min' }],
          width: THIRD,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Dead letters waiting',
          left: deadLetters.map(([name, dlq]) => dlq.metricWaiting().with({ label: name })),
          width: THIRD,
          height: HEIGHT,
        }),
      ],
      [
        new GraphWidget({
          title: 'Records parked and retried',
          left: [
            m('process', 'RecordParked', { label: 'parked by process' }),
            m('deliver', 'RecordParked', { label: 'parked by deliver' }),
            m('cart-check', 'RecordParked', { label: 'parked by cart-check' }),
          ],
          right: [
            m('process', 'RecordRetried', { label: 'retried by process' }),
            m('deliver', 'RecordRetried', { label: 'retried by deliver' }),
          ],
          width: HALF,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Parked by failure code',
          left: (['process', 'deliver', 'cart-check'] as const).map((service) =>
            searchCounters(service, 'RecordParked'),
          ),
          width: HALF,
          height: HEIGHT,
        }),
      ],
      [new TextWidget({ markdown: '## Delivery to Customer.io', width: WIDTH, height: 1 })],
      [
        new GraphWidget({
          title: 'Delivery lag, webhook received → Customer.io accepted (ms)',
          left: [
            m('deliver', 'DeliveryLag', { statistic: 'p50', label: 'p50' }),
            m('deliver', 'DeliveryLag', { statistic: 'p99', label: 'p99' }),
          ],
          width: HALF,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Customer.io calls by outcome',
          left: [
            m('deliver', 'CustomerIoAccepted', { label: 'accepted (items)' }),
            m('deliver', 'CustomerIoRejected', { label: 'rejected (items)' }),
          ],
          right: [
            m('deliver', 'CustomerIoAuthFailed', { label: 'auth failed' }),
            m('deliver', 'CustomerIoRateLimited', { label: 'rate limited (429)' }),
            m('deliver', 'CustomerIoServerError', { label: 'server error (5xx)' }),
            m('deliver', 'CustomerIoTimeout', { label: 'timeout / network' }),
          ],
          width: HALF,
          height: HEIGHT,
        }),
      ],
      [new TextWidget({ markdown: '## Cart recovery funnel', width: WIDTH, height: 1 })],
      [
        new SingleValueWidget({
          title: 'Funnel over the selected time range',
          metrics: [
            m('process', 'CartCheckScheduled', { label: 'checks scheduled' }),
            m('cart-check', 'Emitted_CartAbandoned', { label: 'Cart Abandoned sent' }),
            m('cart-check', 'Emitted_CheckoutAbandoned', { label: 'Checkout Abandoned sent' }),
            m('process', 'CartConverted', { label: 'carts converted' }),
          ],
          setPeriodToTimeRange: true,
          width: HALF,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Cart checks: exits by reason',
          left: [searchCounters('cart-check', 'CartCheckExit')],
          right: [m('cart-check', 'CartCheckFailed'), m('process', 'ScheduleCreateFailed')],
          width: HALF,
          height: HEIGHT,
        }),
      ],
      [new TextWidget({ markdown: '## Functions and API', width: WIDTH, height: 1 })],
      [
        new GraphWidget({
          title: 'Lambda errors and throttles',
          left: functions.map(([service, fn]) =>
            fn.lambdaFunction.metricErrors({ period: fiveMinutes, label: `${service} errors` }),
          ),
          right: functions.map(([service, fn]) =>
            fn.lambdaFunction.metricThrottles({ period: fiveMinutes, label: `${service} throttles` }),
          ),
          width: THIRD,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'Lambda duration p99 (ms)',
          left: functions.map(([service, fn]) =>
            fn.lambdaFunction.metricDuration({ period: fiveMinutes, statistic: 'p99', label: service }),
          ),
          width: THIRD,
          height: HEIGHT,
        }),
        new GraphWidget({
          title: 'API requests and errors',
          left: [props.api.metricCount({ period: fiveMinutes, label: 'requests' })],
          right: [
            props.api.metricClientError({ period: fiveMinutes, label: '4xx' }),
            props.api.metricServerError({ period: fiveMinutes, label: '5xx' }),
          ],
          width: THIRD,
          height: HEIGHT,
        }),
      ],
    );

    this.dashboard = new Dashboard(this, 'Dashboard', { widgets: rows, defaultInterval: Duration.hours(3) });
  }
}
