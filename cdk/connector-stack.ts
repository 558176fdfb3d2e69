import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DeliverEnvSchema, ProcessEnvSchema } from '../shared/config/env.js';
import { WEBHOOK_PLATFORMS } from '../shared/config/secrets.js';
import type { ConnectorConfig } from './config/connector-config.js';
import { QUEUE_RETENTION_DAYS } from './config/connector-settings-schema.js';
import { CartRecovery, type CartRecoverySettings } from './constructs/cart-recovery.js';
import { ConnectorFunction, lambdaEntry } from './constructs/connector-function.js';
import { ConnectorSecret } from './constructs/connector-secret.js';
import { ConnectorTable } from './constructs/connector-table.js';
import { EdgeProtection } from './constructs/edge-protection.js';
import { AlarmTopic } from './constructs/monitoring/alarm-topic.js';
import { ConnectorAlarms } from './constructs/monitoring/connector-alarms.js';
import { ConnectorDashboard } from './constructs/monitoring/connector-dashboard.js';
import { QueueWithDlq } from './constructs/queue-with-dlq.js';
import { Reconciliation } from './constructs/reconciliation.js';
import { INBOX_RETRY_BUDGET, OUTBOX_RETRY_BUDGET } from './constructs/retry-budget.js';
import { WebhookIngress } from './constructs/webhook-ingress.js';

/** Props of {@link ConnectorStack}. */
export interface ConnectorStackProps extends StackProps {
  /** The validated settings of the stage (cdk/config/connector-config.ts). */
  readonly config: ConnectorConfig;
}

/** The application tag every resource carries, with `stage`. */
export const APP_TAG = 'commerce-webhook-connector';

// A record costs a few DynamoDB and SQS calls, well under a second; 30 s leaves room for SDK retries.
const PROCESS_TIMEOUT = Duration.seconds(30);
// A batch goes out in one Track API call, but anonymous events go one by one: at worst 10 calls that each wait
// CIO_TIMEOUT_MS (8 s) before timing out.
const DELIVER_TIMEOUT = Duration.seconds(90);
// 10 records per batch amortise the SDK round trips; for deliver, 10 items of at most 32 KB each fit the 500 KB
// limit of one /api/v2/batch call.
const BATCH_SIZE = 10;

/**
 * The connector: HTTP API → ingest → inbox queue → process (normalize, dedupe) → outbox queue → deliver
 * (Customer.io); process schedules abandoned-cart checks that cart-check runs. Each queue has its DLQ; alarms and a
 * dashboard watch all of it.
 */
export class ConnectorStack extends Stack {
  /** The public edge. */
  readonly ingress: WebhookIngress;
  /** Signed deliveries waiting to be normalized. */
  readonly inbox: QueueWithDlq;
  /** Canonical events waiting to be sent to Customer.io. */
  readonly outbox: QueueWithDlq;
  /** Abandoned-cart checks on EventBridge Scheduler. */
  readonly cartRecovery: CartRecovery;
  /** The normalize-and-dedupe worker. */
  readonly processor: ConnectorFunction<typeof ProcessEnvSchema>;
  /** The Customer.io sender. */
  readonly deliverer: ConnectorFunction<typeof DeliverEnvSchema>;
  /** The alarm topic, when alarms are on. */
  readonly alarmTopic?: AlarmTopic;

  constructor(scope: Construct, id: string, props: ConnectorStackProps) {
    super(scope, id, props);
    const { config } = props;
    const tags = { app: APP_TAG, stage: config.stage, ...config.tags };
    for (const [key, value] of Object.entries(tags)) Tags.of(this).add(key, value);

    const logRetention = config.logRetentionDays as RetentionDays;
    const deadLetterRetentionPeriod = Duration.days(config.dlqRetentionDays);
    // Every function that keys data by shop validates the same SHOPS (shared/config/shops.ts); `{}` refuses all.
    const shopsJson = JSON.stringify(config.shops);

    const table = new ConnectorTable(this, 'Table', {
      removalPolicy: config.table.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: config.table.deletionProtection,
    });
    const webhookSecret = new ConnectorSecret(this, 'WebhookSecret', {
      description:
        'Commerce webhook connector: webhook verification secrets, read by ingest only. JSON: {"shops":{"<shop>.' +
        'myshopify.com":{"shopify"|"recharge"|"judgeme"|"okendo"|"stamped"|"yotpo":{…}}}} (docs/deploy.md)',
      initialValue: { shops: {} },
      existingSecretArn: config.existingWebhookSecretArn,
    });
    const destinationSecret = new ConnectorSecret(this, 'DestinationSecret', {
      description:
        'Commerce webhook connector: Customer.io credentials, read by deliver only. JSON: {"workspaces":{"default":' +
        '{"siteId":"…","apiKey":"…"}}} (docs/deploy.md)',
      initialValue: { workspaces: {} },
      existingSecretArn: config.existingDestinationSecretArn,
    });

    const queueRetention = Duration.days(QUEUE_RETENTION_DAYS);
    this.inbox = new QueueWithDlq(this, 'Inbox', {
      consumerTimeout: PROCESS_TIMEOUT,
      retryBudget: INBOX_RETRY_BUDGET,
      retentionPeriod: queueRetention,
      deadLetterRetentionPeriod,
    });
    this.outbox = new QueueWithDlq(this, 'Outbox', {
      consumerTimeout: DELIVER_TIMEOUT,
      retryBudget: OUTBOX_RETRY_BUDGET,
      retentionPeriod: queueRetention,
      deadLetterRetentionPeriod,
    });

    const wafOn = config.waf.enabled;
    this.ingress = new WebhookIngress(this, 'Ingress', {
      inbox: this.inbox.queue,
      webhookSecret,
      shops: config.shops,
      webhookThrottle: config.throttle.webhooks,
      beaconThrottle: config.throttle.collect,
      logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.concurrency.ingestReserved ?? undefined,
      // With WAF on, the domain belongs to the CloudFront distribution in front of the API.
      customDomain: wafOn ? undefined : config.customDomain,
    });
    const edge = wafOn
      ? new EdgeProtection(this, 'Edge', {
          ingress: this.ingress,
          webhookRatePerIp: config.waf.webhookRatePerIp,
          collectRatePerIp: config.waf.collectRatePerIp,
          customDomain: config.customDomain,
        })
      : undefined;

    const activity = {
      ACTIVITY_LOG: config.activityLog.enabled ? 'on' : 'off',
      ACTIVITY_RETENTION_DAYS: String(config.activityLog.retentionDays),
    } as const;
    const shared: CartRecoverySettings = {
      IDENTIFIER_STRATEGY: config.identifierStrategy,
      CART_RECOVERY_STEPS_MINUTES: config.cartRecoveryStepsMinutes.join(','),
      CART_RETENTION_DAYS: String(config.cartRetentionDays),
      SHOPS: shopsJson,
      ...activity,
    };
    this.cartRecovery = new CartRecovery(this, 'CartRecovery', {
      table,
      outbox: this.outbox.queue,
      settings: shared,
      deadLetterRetentionPeriod,
      logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.concurrency.cartCheckReserved ?? undefined,
    });

    this.processor = new ConnectorFunction(this, 'Process', {
      entry: lambdaEntry('process'),
      description: 'Normalizes and dedupes inbox deliveries into canonical events on the outbox',
      serviceName: 'process',
      timeout: PROCESS_TIMEOUT,
      envSchema: ProcessEnvSchema,
      logRetention,
      tracing: config.tracing,
      environment: {
        TABLE_NAME: table.table.tableName,
        OUTBOX_QUEUE_URL: this.outbox.queue.queueUrl,
        INBOX_DLQ_URL: this.inbox.deadLetterQueue.queue.queueUrl,
        DEDUPE_LEASE_SECONDS: String(config.dedupeLeaseSeconds),
        DEDUPE_RETENTION_DAYS: String(config.dedupeRetentionDays),
        ...shared,
        ...this.inbox.retryEnvironment,
        ...this.cartRecovery.schedulerEnvironment,
      },
    });
    // What the process code sends (dedupe, identity, people and cart stores): no Scan and no batch writes;
    // BatchGetItem for the reads a stage makes together (identity items, merged browsers' landings).
    table.grant(this.processor, ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query']);
    this.cartRecovery.grantScheduling(this.processor);
    this.outbox.queue.grantSendMessages(this.processor);
    // Also grants SendMessage on the inbox DLQ, where process parks a record with its reason.
    this.inbox.addConsumer(this.processor, {
      batchSize: BATCH_SIZE,
      maxConcurrency: config.concurrency.process,
    });

    this.deliverer = new ConnectorFunction(this, 'Deliver', {
      entry: lambdaEntry('deliver'),
      description: 'Sends canonical events from the outbox to the Customer.io Track API',
      serviceName: 'deliver',
      timeout: DELIVER_TIMEOUT,
      envSchema: DeliverEnvSchema,
      logRetention,
      tracing: config.tracing,
      environment: {
        DESTINATION_SECRETS_ARN: destinationSecret.secretArn,
        CIO_REGION: config.cioRegion,
        EVENT_NAME_OVERRIDES: JSON.stringify(config.eventNameOverrides),
        OUTBOX_DLQ_URL: this.outbox.deadLetterQueue.queue.queueUrl,
        TABLE_NAME: table.table.tableName,
        // Another worker's send of the same person can be on its way for at most one invocation.
        DELIVERY_INFLIGHT_SECONDS: String(DELIVER_TIMEOUT.toSeconds()),
        ...this.outbox.retryEnvironment,
        // Which Customer.io workspace each shop's messages go to.
        SHOPS: shopsJson,
        ...activity,
      },
    });
    destinationSecret.grantRead(this.deliverer);
    // Identify ordering: a conditional UpdateItem claims each identify's version before it is sent, another ends
    // its sending mark; GetItem reads the versions when a claim loses (emulators return no item on failure). The
    // activity record, when on, adds one PutItem per person per Customer.io call (and per parked message).
    table.grant(this.deliverer, [
      'GetItem',
      'UpdateItem',
      ...(config.activityLog.enabled ? (['PutItem'] as const) : []),
    ]);
    this.outbox.addConsumer(this.deliverer, {
      batchSize: BATCH_SIZE,
      maxConcurrency: config.concurrency.deliver,
    });

    const functions = {
      ingest: this.ingress.ingest,
      process: this.processor,
      deliver: this.deliverer,
      'cart-check': this.cartRecovery.cartCheck,
    };
    const watched = {
      inbox: this.inbox,
      outbox: this.outbox,
      cartCheckDlq: this.cartRecovery.cartCheckDlq,
      schedulerDlq: this.cartRecovery.schedulerDlq,
      functions,
      api: this.ingress.api,
    };
    if (config.alarms.enabled) {
      this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
        email: config.alarms.email,
        existingTopicArn: config.alarms.topicArn,
        runbookUrl: config.alarms.runbookUrl,
      });
      new ConnectorAlarms(this, 'Alarms', { ...watched, topic: this.alarmTopic, table });
    }
    const adminSecret = new ConnectorSecret(this, 'AdminSecret', {
      description:
        'Commerce webhook connector: Admin API credentials, read by backfill and reconciliation only. JSON: {"shops":' +
        '{"<shop>.myshopify.com":{"shopify":{"adminAccessToken"},"recharge":{"apiToken"}}}} (docs/backfill.md)',
      initialValue: { shops: {} },
      existingSecretArn: config.existingAdminSecretArn,
    });
    const publicUrl = edge?.url ?? this.ingress.url;
    if (config.reconciliation.enabled) {
      const r = config.reconciliation;
      new Reconciliation(this, 'Reconciliation', {
        table,
        inbox: this.inbox.queue,
        adminSecret,
        shops: r.shops ?? Object.keys(config.shops),
        everyMinutes: r.everyMinutes,
        topic: this.alarmTopic,
        logRetention,
        tracing: config.tracing,
        settings: {
          SHOPIFY_ADMIN_API_VERSION: r.shopifyApiVersion,
          RECHARGE_API_VERSION: r.rechargeApiVersion,
          RECONCILE_OVERLAP_MINUTES: String(r.overlapMinutes),
          RECONCILE_INITIAL_LOOKBACK_MINUTES: String(r.initialLookbackMinutes),
          RECONCILE_SHOPIFY_WEBHOOKS: r.webhooks.shopify,
          RECONCILE_RECHARGE_WEBHOOKS: r.webhooks.recharge,
          SHOPIFY_WEBHOOK_URL: `${publicUrl}webhooks/shopify`,
          RECHARGE_WEBHOOK_URL: `${publicUrl}webhooks/recharge`,
        },
      });
    }
    const dashboard = config.dashboard
      ? new ConnectorDashboard(this, 'Dashboard', { ...watched, alarms: this.alarmTopic?.alarms })
      : undefined;

    this.addOutputs({
      publicUrl,
      webhookSecret,
      destinationSecret,
      adminSecret,
      tableName: table.table.tableName,
      dashboardName: dashboard?.dashboard.dashboardName,
      customDomainTarget: wafOn
        ? edge?.distribution.distributionDomainName
        : this.ingress.domainName?.regionalDomainName,
    });
  }

  private addOutputs(values: {
    readonly publicUrl: string;
    readonly webhookSecret: ConnectorSecret;
    readonly destinationSecret: ConnectorSecret;
    readonly adminSecret: ConnectorSecret;
    readonly tableName: string;
    readonly dashboardName?: string;
    readonly customDomainTarget?: string;
  }): void {
    const output = (id: string, value: string, description?: string) =>
      new CfnOutput(this, id, { value, description });
    output('ApiUrl', values.publicUrl, 'Base URL of the webhook API (the WAF-protected one when waf is on)');
    for (const source of WEBHOOK_PLATFORMS) {
      // Yotpo authenticates by a token in the URL (one of the shop's `yotpo.tokens` in the webhook secret).
      const suffix = source === 'yotpo' ? `webhooks/${source}/<token>` : `webhooks/${source}`;
      output(
        `WebhookUrl${source.charAt(0).toUpperCase()}${source.slice(1)}`,
        `${values.publicUrl}${suffix}`,
        `Webhook URL to register in ${source}`,
      );
    }
    output('CollectUrl', `${values.publicUrl}collect`, 'Storefront beacon URL');
    output('InboxQueueUrl', this.inbox.queue.queueUrl);
    output('OutboxQueueUrl', this.outbox.queue.queueUrl);
    output('InboxDlqUrl', this.inbox.deadLetterQueue.queue.queueUrl);
    output('OutboxDlqUrl', this.outbox.deadLetterQueue.queue.queueUrl);
    output('CartCheckDlqUrl', this.cartRecovery.cartCheckDlq.queue.queueUrl);
    output('SchedulerDlqUrl', this.cartRecovery.schedulerDlq.queue.queueUrl);
    output(
      'WebhookSecretArn',
      values.webhookSecret.secretArn,
      'Fill in the webhook verification secrets, by shop, here',
    );
    output(
      'DestinationSecretArn',
      values.destinationSecret.secretArn,
      'Fill in the Customer.io workspaces here',
    );
    output(
      'AdminSecretArn',
      values.adminSecret.secretArn,
      'Fill in the Admin API tokens here (backfill and reconciliation)',
    );
    output('TableName', values.tableName);
    if (this.alarmTopic !== undefined) output('AlarmTopicArn', this.alarmTopic.topic.topicArn);
    if (values.dashboardName !== undefined) output('DashboardName', values.dashboardName);
    if (values.customDomainTarget !== undefined) {
      output(
        'CustomDomainTarget',
        values.customDomainTarget,
        'Point the custom domain here (CNAME or alias)',
      );
    }
  }
}
