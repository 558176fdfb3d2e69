import { Duration, Stack } from 'aws-cdk-lib';
import {
  ComparisonOperator,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ReconcileEnvSchema } from '../../shared/config/sync-env.js';
import { RECONCILED_TOPICS, topicMetric } from '../../shared/reconcile/reconcile-run.js';
import { ConnectorFunction, type LambdaEnvironment, lambdaEntry } from './connector-function.js';
import type { ConnectorSecret } from './connector-secret.js';
import type { ConnectorTable } from './connector-table.js';
import type { AlarmTopic } from './monitoring/alarm-topic.js';

/** The settings of the reconcile function that come from configuration. */
type ReconcileSettings = Pick<
  LambdaEnvironment<typeof ReconcileEnvSchema>,
  | 'SHOPIFY_ADMIN_API_VERSION'
  | 'RECHARGE_API_VERSION'
  | 'RECONCILE_OVERLAP_MINUTES'
  | 'RECONCILE_INITIAL_LOOKBACK_MINUTES'
  | 'RECONCILE_SHOPIFY_WEBHOOKS'
  | 'RECONCILE_RECHARGE_WEBHOOKS'
  | 'SHOPIFY_WEBHOOK_URL'
  | 'RECHARGE_WEBHOOK_URL'
>;

/** Props of {@link Reconciliation}. */
export interface ReconciliationProps {
  /** Where watermarks, leases and the dedupe records it checks live. */
  readonly table: ConnectorTable;
  /** Where records no webhook delivered are fed. */
  readonly inbox: IQueue;
  /** The Admin API secret (per-shop Shopify and Recharge tokens), read by this function only. */
  readonly adminSecret: ConnectorSecret;
  /** The shops reconciled: one recurring schedule each. */
  readonly shops: readonly string[];
  /** Minutes between two runs of a shop. */
  readonly everyMinutes: number;
  readonly settings: ReconcileSettings;
  /** Where its alarms notify (none without a topic). */
  readonly topic?: AlarmTopic;
  readonly entry?: string;
  readonly logRetention?: RetentionDays;
  readonly tracing?: boolean;
}

/**
 * A run reads at most a day of changes a page at a time at Shopify's and Recharge's rates, feeding as it goes; 10
 * minutes leaves room for a busy shop. A run cut short leaves its watermark, so the next one covers the window.
 */
const TIMEOUT = Duration.minutes(10);

/** Topics whose misses page: a purchase, refund, cancellation or cart lost. Customer updates are counted only. */
const PAGED_TOPICS = RECONCILED_TOPICS.filter((topic) => topic !== 'customers/update');

/**
 * Reconciliation: the reconcile Lambda and one EventBridge Scheduler recurring schedule per shop that invokes it
 * with `{ "shop": … }`. It may read the table (dedupe records, carts), write its own leases and watermarks, queue to
 * the inbox and read the Admin API secret: nothing else. With a topic, three alarms watch it: records found
 * missing run after run (a webhook subscription is probably gone), subscriptions missing, and runs failing.
 */
export class Reconciliation extends Construct {
  readonly fn: ConnectorFunction<typeof ReconcileEnvSchema>;
  readonly scheduleGroup: ScheduleGroup;

  constructor(scope: Construct, id: string, props: ReconciliationProps) {
    super(scope, id);
    this.fn = new ConnectorFunction(this, 'Reconcile', {
      entry: props.entry ?? lambdaEntry('reconcile'),
      description:
        'Feeds what webhooks missed (orders, customers, checkouts, subscriptions, charges) and checks subscriptions',
      serviceName: 'reconcile',
      timeout: TIMEOUT,
      envSchema: ReconcileEnvSchema,
      logRetention: props.logRetention,
      tracing: props.tracing,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        INBOX_QUEUE_URL: props.inbox.queueUrl,
        ADMIN_SECRETS_ARN: props.adminSecret.secretArn,
        ...props.settings,
      },
    });
    // DynamoSeenRecords: BatchGetItem (dedupe records, carts); DynamoRunStateStore: PutItem (lease, watermark),
    // UpdateItem (lease renewal), DeleteItem (lease release), GetItem (watermark, lease holder).
    props.table.grant(this.fn, ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem']);
    props.inbox.grantSendMessages(this.fn);
    props.adminSecret.grantRead(this.fn);

    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup');
    const stack = Stack.of(this);
    const role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account, in this one group, may assume the role.
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });
    this.fn.lambdaFunction.grantInvokeLatestVersion(role);
    props.shops.forEach((shop, index) => {
      new CfnSchedule(this, `Shop${index}`, {
        groupName: this.scheduleGroup.scheduleGroupName,
        description: `Reconcile ${shop}`,
        scheduleExpression: `rate(${props.everyMinutes} minutes)`,
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: this.fn.lambdaFunction.functionArn,
          roleArn: role.roleArn,
          input: JSON.stringify({ shop }),
          // A missed run is covered by the next one (the watermark stays): retrying an invocation only piles up.
          retryPolicy: {
            maximumRetryAttempts: 0,
            maximumEventAgeInSeconds: Math.max(60, Math.min(props.everyMinutes * 60, 86_400)),
          },
        },
      });
    });
    if (props.topic) this.alarms(props.topic, props.everyMinutes);
  }

  private alarms(topic: AlarmTopic, everyMinutes: number): void {
    const period = Duration.minutes(Math.max(5, everyMinutes));
    const metric = (name: string) =>
      new Metric({
        namespace: 'CommerceConnector',
        metricName: name,
        dimensionsMap: { service: 'reconcile' },
        statistic: Stats.SUM,
        period,
      });
    const sum = (label: string, names: readonly string[]) =>
      new MathExpression({
        expression: names.map((_, i) => `FILL(m${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(names.map((name, i) => [`m${i}`, metric(name)])),
        label,
        period,
      });
    topic.alarm(this, 'RecordsMissing', {
      summary:
        'Reconciliation keeps finding orders, refunds, cancellations, checkouts or Recharge records no webhook delivered: ' +
        'a webhook subscription is probably gone (they were fed now, late).',
      runbook: 'reconciliation-missing',
      metric: sum(
        'Records found missing',
        PAGED_TOPICS.map((t) => `ReconciledMissing_${topicMetric(t)}`),
      ),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // Two runs out of three: one miss can be a webhook still being retried by its platform.
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    topic.alarm(this, 'SubscriptionsMissing', {
      summary: 'A webhook subscription of the connector is missing and could not be re-created.',
      runbook: 'webhook-subscriptions',
      metric: sum('Subscriptions missing', [
        'WebhookSubscriptionMissing_shopify',
        'WebhookSubscriptionMissing_recharge',
      ]),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    topic.alarm(this, 'RunsFailing', {
      summary:
        'Reconciliation runs are failing (Admin API token refused, API down): missed webhooks are not being caught.',
      runbook: 'reconciliation-failures',
      metric: sum('Reconciliation failures', [
        'ReconcileFailed',
        'WebhookCheckFailed_shopify',
        'WebhookCheckFailed_recharge',
      ]),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
    });
    topic.alarm(this, 'Errors', {
      summary: 'The reconcile function crashed or timed out.',
      runbook: 'lambda-errors',
      metric: this.fn.lambdaFunction.metricErrors({ period, statistic: Stats.SUM }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
