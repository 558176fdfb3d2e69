import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import dynalite from 'dynalite';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { createConnectorTable } from '../../local/connector-table.js';
import { type CustomerIoCapture, startCustomerIoCapture } from '../../local/customerio-capture.js';
import { localShops, localWebhookSecrets } from '../../local/local-config.js';
import { lambdaRecordsOf } from '../../local/sqs-event-source.js';
import {
  CartCheckEnvSchema,
  DeliverEnvSchema,
  IngestEnvSchema,
  ProcessEnvSchema,
  parseEnv,
} from '../../shared/config/env.js';
import type { HttpRequest, HttpResponse } from '../../shared/http/http-types.js';
import { MemoryCounters, silentLog, type Telemetry } from '../../shared/ports/telemetry.js';
import type { AwsEndpointConfig } from '../../shared/runtime/aws-clients.js';
import {
  type AwsClients,
  lazyDynamo,
  lazyScheduler,
  lazySecrets,
  lazySqs,
} from '../../shared/runtime/aws-clients.js';
import { wireCartCheck } from '../../shared/runtime/wire-cart-check.js';
import { wireDeliver } from '../../shared/runtime/wire-deliver.js';
import { wireIngest } from '../../shared/runtime/wire-ingest.js';
import { wireProcess } from '../../shared/runtime/wire-process.js';
import {
  type SchedulerFakeServer,
  startSchedulerFakeServer,
} from '../../test/helpers/scheduler-fake-server.js';
import { CallLog, type RecordedCall } from './call-log.js';

const REGION = 'us-east-1';
const TABLE = 'connector-bench';
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The calls one webhook (or one cart check) caused, by function, and what reached Customer.io. */
export interface PathCalls {
  readonly status: number;
  readonly ingest: readonly RecordedCall[];
  readonly process: readonly RecordedCall[];
  readonly deliver: readonly RecordedCall[];
  readonly cartCheck: readonly RecordedCall[];
  /** Track API requests (one batch call each). */
  readonly customerIoCalls: number;
  /** Operations in those calls. */
  readonly customerIoOperations: number;
  /** Records a worker reported as failed (retried later) or parked. */
  readonly failedRecords: number;
}

/** A queue and the function that consumes it, as Lambda's event source mapping would run it. */
interface Consumer {
  readonly url: string;
  readonly arn: string;
  readonly run: (records: SQSRecord[]) => Promise<SQSBatchResponse>;
  readonly phase: 'process' | 'deliver';
}

/**
 * The connector's four functions wired exactly as in AWS (shared/runtime), on embedded services: dynalite,
 * fauxqs, the Customer.io capture, and a fake EventBridge Scheduler on 127.0.0.1 (no emulator exists). Their AWS
 * clients carry the call-recording middleware; the harness's own receives and deletes (Lambda's event source
 * mapping) are not counted. Runs one webhook at a time to quiescence, so every call is attributed to it.
 */
export class AwsCallHarness {
  readonly log = new CallLog();
  readonly counters = new MemoryCounters();
  private ingest!: (request: HttpRequest) => Promise<HttpResponse>;
  private cartCheck!: (event: unknown) => Promise<unknown>;
  private consumers: Consumer[] = [];

  private constructor(
    private readonly dynaliteServer: Server,
    private readonly fauxqs: FauxqsServer,
    private readonly sqs: SQSClient,
    private readonly dynamo: DynamoDBClient,
    readonly capture: CustomerIoCapture,
    readonly scheduler: SchedulerFakeServer,
  ) {}

  /**
   * Starts the services and wires the functions. `activityLog` is the deployment's ACTIVITY_LOG (default on, as in
   * the CDK app): off measures the pipeline without the per-person activity record.
   */
  static async start(options: { readonly activityLog?: 'on' | 'off' } = {}): Promise<AwsCallHarness> {
    const dynaliteServer: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => dynaliteServer.listen(0, '127.0.0.1', resolve));
    const dynamoEndpoint = `http://127.0.0.1:${(dynaliteServer.address() as AddressInfo).port}`;
    const dynamo = new DynamoDBClient({ region: REGION, endpoint: dynamoEndpoint, credentials: CREDENTIALS });
    await createConnectorTable(dynamo, TABLE);
    const fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
    const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
    const sqs = new SQSClient({ region: REGION, endpoint: sqsEndpoint, credentials: CREDENTIALS });
    const capture = await startCustomerIoCapture(0);
    const scheduler = await startSchedulerFakeServer();
    const harness = new AwsCallHarness(dynaliteServer, fauxqs, sqs, dynamo, capture, scheduler);
    harness.wire({ dynamoEndpoint, sqsEndpoint, activityLog: options.activityLog ?? 'on' });
    return harness;
  }

  /** Clients of one function, each created on first use with the recording middleware. */
  private clients(env: AwsEndpointConfig): AwsClients {
    const plain = {
      dynamo: lazyDynamo(env),
      sqs: lazySqs(env),
      scheduler: lazyScheduler(env),
      secrets: lazySecrets(env),
    };
    const log = this.log;
    const instrumented = <T>(create: () => T, add: (client: T) => T): (() => T) => {
      let made: T | undefined;
      return () => {
        made ??= add(create());
        return made;
      };
    };
    return {
      dynamo: instrumented(plain.dynamo, (c) => log.dynamo(c)),
      sqs: instrumented(plain.sqs, (c) => log.sqs(c)),
      scheduler: instrumented(plain.scheduler, (c) => log.scheduler(c)),
      secrets: plain.secrets,
    };
  }

  private wire(endpoints: { dynamoEndpoint: string; sqsEndpoint: string; activityLog: 'on' | 'off' }): void {
    const queue = (name: string) => {
      const created = this.fauxqs.createQueue(name, { attributes: { VisibilityTimeout: '30' } });
      return { url: created.queueUrl, arn: created.queueArn };
    };
    const inbox = queue('inbox');
    const outbox = queue('outbox');
    const inboxDlq = queue('inbox-dlq');
    const outboxDlq = queue('outbox-dlq');
    const cartCheckDlq = queue('cart-check-dlq');
    const common = {
      AWS_REGION: REGION,
      DYNAMODB_ENDPOINT: endpoints.dynamoEndpoint,
      SQS_ENDPOINT: endpoints.sqsEndpoint,
      SCHEDULER_ENDPOINT: this.scheduler.endpoint,
      SHOPS: localShops(),
      TABLE_NAME: TABLE,
      ACTIVITY_LOG: endpoints.activityLog,
    };
    const cartRecovery = {
      SCHEDULER_MODE: 'aws',
      SCHEDULE_GROUP_NAME: 'connector-carts',
      CART_CHECK_TARGET_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:cart-check',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
      SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:000000000000:scheduler-dlq',
    };
    const telemetry: Telemetry = { log: silentLog, counters: this.counters };
    const ingestEnv = parseEnv(IngestEnvSchema, {
      ...common,
      INBOX_QUEUE_URL: inbox.url,
      LOCAL_WEBHOOK_SECRETS_JSON: localWebhookSecrets(),
    });
    this.ingest = wireIngest(ingestEnv, telemetry, this.clients(ingestEnv));
    const processEnv = parseEnv(ProcessEnvSchema, {
      ...common,
      ...cartRecovery,
      OUTBOX_QUEUE_URL: outbox.url,
      INBOX_DLQ_URL: inboxDlq.url,
      SOURCE_QUEUE_URL: inbox.url,
    });
    const process = wireProcess(processEnv, telemetry, this.clients(processEnv));
    const deliverEnv = parseEnv(DeliverEnvSchema, {
      ...common,
      CIO_TRACK_URL: this.capture.url,
      LOCAL_DESTINATION_SECRETS_JSON: JSON.stringify({
        workspaces: { default: { siteId: 'bench-site', apiKey: 'bench-key' } },
      }),
      OUTBOX_DLQ_URL: outboxDlq.url,
      SOURCE_QUEUE_URL: outbox.url,
    });
    const deliver = wireDeliver(deliverEnv, telemetry, this.clients(deliverEnv));
    const cartCheckEnv = parseEnv(CartCheckEnvSchema, {
      ...common,
      ...cartRecovery,
      OUTBOX_QUEUE_URL: outbox.url,
      CART_CHECK_DLQ_URL: cartCheckDlq.url,
    });
    this.cartCheck = wireCartCheck(cartCheckEnv, telemetry, this.clients(cartCheckEnv));
    this.consumers = [
      { ...inbox, run: process, phase: 'process' },
      { ...outbox, run: deliver, phase: 'deliver' },
    ];
  }

  /** Posts one request through ingest and runs what it queued to quiescence. */
  async post(request: HttpRequest): Promise<PathCalls> {
    const start = this.log.mark();
    const response = await this.ingest(request);
    const ingest = this.log.since(start);
    return { status: response.statusCode, ingest, cartCheck: [], ...(await this.drain()) };
  }

  /** Runs one fired cart check and what it queued. */
  async checkCart(input: unknown): Promise<PathCalls> {
    const start = this.log.mark();
    await this.cartCheck(input);
    const cartCheck = this.log.since(start);
    return { status: 200, ingest: [], cartCheck, ...(await this.drain()) };
  }

  /**
   * Fires every cart check scheduled at the fake Scheduler, oldest first, and removes each schedule as it fires
   * (the connector's schedules are created with ActionAfterCompletion DELETE).
   */
  async fireScheduledChecks(): Promise<PathCalls[]> {
    const fired: PathCalls[] = [];
    for (const [key, body] of [...this.scheduler.schedules]) {
      this.scheduler.schedules.delete(key);
      const target = body.Target as { Input?: string } | undefined;
      fired.push(await this.checkCart(JSON.parse(target?.Input ?? '{}') as unknown));
    }
    return fired;
  }

  private async drain(): Promise<Omit<PathCalls, 'status' | 'ingest' | 'cartCheck'>> {
    const calls = { process: [] as RecordedCall[], deliver: [] as RecordedCall[] };
    const requestsBefore = this.capture.requests.length;
    const operationsBefore = this.capture.operations().length;
    let failedRecords = 0;
    for (let moved = true; moved; ) {
      moved = false;
      for (const consumer of this.consumers) {
        const messages = await this.receive(consumer.url);
        if (messages.length === 0) continue;
        moved = true;
        const records = lambdaRecordsOf(messages, consumer.arn, REGION);
        const start = this.log.mark();
        const response = await consumer.run(records);
        calls[consumer.phase].push(...this.log.since(start));
        const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
        failedRecords += failed.size;
        const done = records.filter((r) => !failed.has(r.messageId));
        if (done.length > 0) {
          await this.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: consumer.url,
              Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
            }),
          );
        }
      }
    }
    return {
      ...calls,
      customerIoCalls: this.capture.requests.length - requestsBefore,
      customerIoOperations: this.capture.operations().length - operationsBefore,
      failedRecords,
    };
  }

  private async receive(url: string): Promise<Message[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  }

  async close(): Promise<void> {
    await this.capture.close();
    await this.scheduler.close();
    await this.fauxqs.stop();
    this.sqs.destroy();
    this.dynamo.destroy();
    await new Promise<void>((resolve) => this.dynaliteServer.close(() => resolve()));
  }
}
