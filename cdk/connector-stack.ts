import { CfnOutput, Duration, type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  type DeliverEnv,
  DeliverEnvSchema,
  type ProcessEnv,
  ProcessEnvSchema,
} from '../shared/config/env.js';
import { WEBHOOK_PLATFORMS } from '../shared/config/secrets.js';
import type { ShopsConfig } from '../shared/config/shops.js';
import { CartRecovery } from './constructs/cart-recovery.js';
import { ConnectorFunction, lambdaEntry } from './constructs/connector-function.js';
import { ConnectorSecret } from './constructs/connector-secret.js';
import { ConnectorTable } from './constructs/connector-table.js';
import { QueueWithDlq } from './constructs/queue-with-dlq.js';
import { WebhookIngress } from './constructs/webhook-ingress.js';

/** Props of {@link ConnectorStack}. */
export interface ConnectorStackProps extends StackProps {
  /** Customer.io data centre of the workspace. @default 'us' */
  readonly cioRegion?: DeliverEnv['CIO_REGION'];
  /** Which shop identifier becomes the Customer.io person id. @default 'customer_id' */
  readonly identifierStrategy?: ProcessEnv['IDENTIFIER_STRATEGY'];
  /** Complete ARN of an existing webhook-verification secret. @default - the stack creates one */
  readonly existingWebhookSecretArn?: string;
  /** Complete ARN of an existing destination (Customer.io) secret. @default - the stack creates one */
  readonly existingDestinationSecretArn?: string;
  /** The configured shops (SHOPS): storefront, phone country, workspace, customer-id prefix. @default - none */
  readonly shops?: ShopsConfig;
  /** Removal policy of the table. @default RemovalPolicy.RETAIN */
  readonly tableRemovalPolicy?: RemovalPolicy;
}

// A record costs a few DynamoDB and SQS calls, well under a second; 30 s leaves room for SDK retries.
const PROCESS_TIMEOUT = Duration.seconds(30);
// A batch goes out in one Track API call, but anonymous events go one by one: at worst 10 calls that each wait
// CIO_TIMEOUT_MS (8 s) before timing out.
const DELIVER_TIMEOUT = Duration.seconds(90);
const OUTBOX_MAX_RECEIVES = 30;

/**
 * The connector: HTTP API → ingest → inbox queue → process (normalize, dedupe) → outbox queue → deliver
 * (Customer.io); process schedules abandoned-cart checks that cart-check runs. A DLQ and an alarm back each queue.
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

  constructor(scope: Construct, id: string, props: ConnectorStackProps = {}) {
    super(scope, id, props);

    const table = new ConnectorTable(this, 'Table', { removalPolicy: props.tableRemovalPolicy });
    // Two secrets: the public ingest function can read the webhook one only, deliver the Customer.io one only.
    const webhookSecret = new ConnectorSecret(this, 'WebhookSecret', {
      existingSecretArn: props.existingWebhookSecretArn,
      description:
        'Commerce webhook connector: webhook verification secrets by shop, JSON ' +
        '{"shops":{"<shop>.myshopify.com":{"shopify":{"clientSecrets":[…]},"recharge":{…},…}}}',
    }).secret;
    const destinationSecret = new ConnectorSecret(this, 'DestinationSecret', {
      existingSecretArn: props.existingDestinationSecretArn,
      description:
        'Commerce webhook connector: Customer.io workspaces, JSON {"workspaces":{"default":{"siteId","apiKey"}}}',
    }).secret;
    const shopsJson = JSON.stringify(props.shops ?? {});

    this.inbox = new QueueWithDlq(this, 'Inbox', {
      description: 'signed webhook deliveries and beacons',
      consumerTimeout: PROCESS_TIMEOUT,
    });
    this.outbox = new QueueWithDlq(this, 'Outbox', {
      description: 'canonical events for Customer.io',
      consumerTimeout: DELIVER_TIMEOUT,
      // Each receive waits one visibility timeout (6 × 90 s = 9 min): 30 receives ride out about 4.5 h of a
      // Customer.io outage or sustained 429s before records are dead-lettered. Resends are harmless (event ids).
      maxReceiveCount: OUTBOX_MAX_RECEIVES,
    });

    this.ingress = new WebhookIngress(this, 'Ingress', {
      inbox: this.inbox.queue,
      secret: webhookSecret,
      shops: props.shops,
    });

    this.cartRecovery = new CartRecovery(this, 'CartRecovery', {
      table,
      outbox: this.outbox.queue,
      identifierStrategy: props.identifierStrategy,
      shopsJson,
    });

    this.processor = new ConnectorFunction(this, 'Process', {
      entry: lambdaEntry('process'),
      description: 'Normalizes and dedupes inbox deliveries into canonical events on the outbox',
      serviceName: 'process',
      timeout: PROCESS_TIMEOUT,
      envSchema: ProcessEnvSchema,
      environment: {
        TABLE_NAME: table.table.tableName,
        OUTBOX_QUEUE_URL: this.outbox.queue.queueUrl,
        INBOX_DLQ_URL: this.inbox.deadLetterQueue.queue.queueUrl,
        IDENTIFIER_STRATEGY: props.identifierStrategy ?? 'customer_id',
        SHOPS: shopsJson,
        ...this.cartRecovery.schedulerEnvironment,
      },
    });
    table.grantReadWriteData(this.processor);
    this.cartRecovery.grantScheduling(this.processor);
    this.outbox.queue.grantSendMessages(this.processor);
    // Permanently bad (but signed) deliveries are parked in the inbox DLQ at once, with their reason.
    this.inbox.deadLetterQueue.queue.grantSendMessages(this.processor);
    // Batches of 10 amortise the SDK round trips; 10 concurrent batches outpace any one shop's webhook rate while
    // leaving most of a new account's concurrency to the other functions.
    this.inbox.addConsumer(this.processor, { batchSize: 10, maxConcurrency: 10 });

    this.deliverer = new ConnectorFunction(this, 'Deliver', {
      entry: lambdaEntry('deliver'),
      description: 'Sends canonical events from the outbox to the Customer.io Track API',
      serviceName: 'deliver',
      timeout: DELIVER_TIMEOUT,
      envSchema: DeliverEnvSchema,
      environment: {
        DESTINATION_SECRETS_ARN: destinationSecret.secretArn,
        SHOPS: shopsJson,
        CIO_REGION: props.cioRegion ?? 'us',
      },
    });
    destinationSecret.grantRead(this.deliverer);
    // 10 items of at most 32 KB each fit the 500 KB limit of one /api/v2/batch call. 5 workers stay under about
    // 50 requests/s even sending one by one: half the older 100 rps Track API limit (1000 rps today), which the
    // workspace shares with its other integrations.
    this.outbox.addConsumer(this.deliverer, { batchSize: 10, maxConcurrency: 5 });

    this.addOutputs(webhookSecret.secretArn, destinationSecret.secretArn, table.table.tableName);
  }

  private addOutputs(webhookSecretArn: string, destinationSecretArn: string, tableName: string): void {
    new CfnOutput(this, 'ApiUrl', { value: this.ingress.url, description: 'Base URL of the HTTP API' });
    for (const source of WEBHOOK_PLATFORMS) {
      // Yotpo authenticates by a token in the URL (one of the shop's `yotpo.tokens` in the webhook secret).
      const suffix = source === 'yotpo' ? `webhooks/${source}/<token>` : `webhooks/${source}`;
      new CfnOutput(this, `WebhookUrl${source.charAt(0).toUpperCase()}${source.slice(1)}`, {
        value: `${this.ingress.url}${suffix}`,
        description: `Webhook URL to register in ${source}`,
      });
    }
    new CfnOutput(this, 'CollectUrl', {
      value: `${this.ingress.url}collect`,
      description: 'Storefront beacon URL',
    });
    new CfnOutput(this, 'InboxDlqUrl', { value: this.inbox.deadLetterQueue.queue.queueUrl });
    new CfnOutput(this, 'OutboxDlqUrl', { value: this.outbox.deadLetterQueue.queue.queueUrl });
    new CfnOutput(this, 'CartCheckDlqUrl', { value: this.cartRecovery.deadLetterQueue.queue.queueUrl });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: webhookSecretArn,
      description: 'Fill in the webhook verification secrets, by shop, here',
    });
    new CfnOutput(this, 'DestinationSecretArn', {
      value: destinationSecretArn,
      description: 'Fill in the Customer.io workspaces here',
    });
    new CfnOutput(this, 'TableName', { value: tableName });
  }
}
