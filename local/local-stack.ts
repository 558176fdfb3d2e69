import { mkdirSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import dynalite from 'dynalite';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { stringifyForSqs } from '../shared/json/sqs-safe-json.js';
import type { Log } from '../shared/ports/telemetry.js';
import { consoleLog } from '../shared/runtime/telemetry.js';
import { createConnectorTable } from './connector-table.js';
import { type CustomerIoCapture, startCustomerIoCapture } from './customerio-capture.js';
import { lockDataDir } from './data-dir-lock.js';
import { type DeadLetter, notifyStackStopped, readDeadLetters } from './dead-letter-audit.js';
import { type AwsFaultPlan, type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { type HttpLambda, startHttpGateway } from './http-gateway.js';
import { invocationRecord } from './lambda-destination.js';
import { localShops, localWebhookSecrets } from './local-config.js';
import { localInspectorRoute } from './local-inspector.js';
import { LocalRecoveryScheduler } from './local-scheduler.js';
import { localLambdaContext, SqsEventSource, type SqsLambda } from './sqs-event-source.js';

/** Options of the local stack. */
export interface LocalStackOptions {
  /** Port of the webhook API; 0 picks a free one. */
  readonly apiPort?: number;
  /** Folder for persisted DynamoDB data; omit for in-memory (tests). */
  readonly dataDir?: string;
  /**
   * Seconds a received record stays hidden when its handler crashes without changing its visibility (AWS uses 6×
   * the function timeout; short locally).
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * The workers' retry budget, the same for both queues (AWS: CONTRACTS.md, 15 and 20 attempts from 30 s; locally
   * small, so a failure surfaces in seconds). The queues' redrive backstop is maxAttempts + 3 receives.
   */
  readonly retry?: {
    readonly maxAttempts?: number;
    readonly baseSeconds?: number;
    readonly maxSeconds?: number;
  };
  /**
   * The webhook-verification secret document (shared/config/secrets.ts) instead of the local one
   * (local/local-config.ts): several shops, rotation lists.
   */
  readonly webhookSecrets?: unknown;
  /** Real Customer.io credentials; without them a local capture server records what would be sent. */
  readonly customerio?: { siteId: string; apiKey: string; region: 'us' | 'eu' };
  /** Batches each SQS worker handles at once (Lambda's concurrent invocations per event source); 1 by default. */
  readonly workerConcurrency?: number;
  /**
   * Function timeout of the SQS workers and the cart check in milliseconds: an invocation still running after it
   * counts as failed (SQS records return after their visibility timeout; a cart check is retried). Unlimited by default.
   */
  readonly functionTimeoutMs?: number;
  /**
   * Faults for the Lambdas' DynamoDB and SQS calls (throttling, 5xx, resets, hangs; before or after the emulator
   * applied the call): a loopback proxy in front of dynalite and fauxqs that the handlers' clients go through.
   * Off by default. With hangs, set `functionTimeoutMs` so a hung invocation ends like a Lambda timeout.
   */
  readonly awsFaults?: AwsFaultPlan;
  /** Lease of the dedupe claims (DEDUPE_LEASE_SECONDS of process and cart-check); the functions' default if unset. */
  readonly dedupeLeaseSeconds?: number;
  /** Customer.io call timeout of deliver (CIO_TIMEOUT_MS); the function's default if unset. */
  readonly customerIoTimeoutMs?: number;
  /** Cart recovery step delays in minutes, e.g. "0.25,0.5" (default: CART_RECOVERY_STEPS_MINUTES or 60,1440). */
  readonly cartRecoveryStepsMinutes?: string;
  /**
   * Batches each worker handles at once, per worker (the CDK config's `concurrency.process` / `.deliver`, the
   * event source mapping's maximum concurrency); overrides `workerConcurrency`.
   */
  readonly concurrency?: { readonly process?: number; readonly deliver?: number };
  readonly log?: Log;
}

/** A running local stack. */
export interface LocalStack {
  readonly apiUrl: string;
  /** The inspector page (read-only, 127.0.0.1). */
  readonly inspectorUrl: string;
  readonly capture?: CustomerIoCapture;
  readonly queues: Readonly<
    Record<'inbox' | 'inboxDlq' | 'outbox' | 'outboxDlq' | 'cartCheckDlq', { url: string; arn: string }>
  >;
  readonly sqs: SQSClient;
  /** The SQS emulator's endpoint (the ops CLI finds it in `stack.json`). */
  readonly sqsEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly fauxqs: FauxqsServer;
  /** The local stand-in for EventBridge Scheduler: fires due cart checks from a JSON file. */
  readonly scheduler: LocalRecoveryScheduler;
  /** Every message in the dead-letter queues now, with its reason (read without receiving). */
  deadLetters(): DeadLetter[];
  stop(): Promise<void>;
}

const TABLE = 'connector-local';

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/**
 * Boots the connector on embedded services: DynamoDB on dynalite (persisted under `dataDir`), SQS on fauxqs with
 * DLQ redrive, the three real Lambda handlers behind a local API gateway and local SQS event sources, and
 * Customer.io for real or as a capture. One stack per process: the handler modules read their environment once.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<LocalStack> => {
  const log = options.log ?? consoleLog('local');
  const region = 'us-east-1';
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;

  const dynaliteServer = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
  });
  const dynamoEndpoint = `http://127.0.0.1:${await listen(dynaliteServer)}`;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ region, endpoint: dynamoEndpoint, credentials });
  await createConnectorTable(dynamo, TABLE);

  const fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  const sqs = new SQSClient({ region, endpoint: sqsEndpoint, credentials });
  const visibility = String(options.visibilityTimeoutSeconds ?? 5);
  const retry = {
    MAX_ATTEMPTS: String(options.retry?.maxAttempts ?? 5),
    RETRY_BASE_SECONDS: String(options.retry?.baseSeconds ?? 1),
    RETRY_MAX_SECONDS: String(options.retry?.maxSeconds ?? 4),
  };
  // Only a backstop: the workers park a record themselves on its last attempt, with its reason.
  const maxReceiveCount = (options.retry?.maxAttempts ?? 5) + 3;
  const queueWithDlq = (name: string) => {
    const dlq = fauxqs.createQueue(`${name}-dlq`, { attributes: { MessageRetentionPeriod: '1209600' } });
    const queue = fauxqs.createQueue(name, {
      attributes: {
        VisibilityTimeout: visibility,
        MaximumMessageSize: '1048576',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount }),
      },
    });
    return {
      queue: { url: queue.queueUrl, arn: queue.queueArn },
      dlq: { url: dlq.queueUrl, arn: dlq.queueArn },
    };
  };
  const inbox = queueWithDlq('inbox');
  const outbox = queueWithDlq('outbox');
  // cart-check's DLQ: where it parks a permanent failure itself, and its on-failure destination (as in AWS).
  const cartCheckDlqQueue = fauxqs.createQueue('cart-check-dlq', {
    attributes: { MessageRetentionPeriod: '1209600' },
  });
  const cartCheckDlq = { url: cartCheckDlqQueue.queueUrl, arn: cartCheckDlqQueue.queueArn };

  // The Lambdas' clients reach the emulators through the fault proxies when faults are asked for.
  const proxies: FaultProxy[] = options.awsFaults
    ? await Promise.all([
        startFaultProxy('dynamodb', dynamoEndpoint, options.awsFaults),
        startFaultProxy('sqs', sqsEndpoint, options.awsFaults),
      ])
    : [];
  const [dynamoProxy, sqsProxy] = proxies;

  const capture = options.customerio
    ? undefined
    : await startCustomerIoCapture(
        0,
        options.dataDir ? join(options.dataDir, 'customerio-capture.jsonl') : undefined,
      );
  // Two secret documents, as in AWS: ingest reads only the webhook one, deliver only the destination one.
  const destination = {
    workspaces: {
      default: options.customerio
        ? { siteId: options.customerio.siteId, apiKey: options.customerio.apiKey }
        : { siteId: 'local-site', apiKey: 'local-api-key' },
    },
  };
  Object.assign(process.env, {
    AWS_REGION: region,
    DYNAMODB_ENDPOINT: dynamoProxy?.url ?? dynamoEndpoint,
    SQS_ENDPOINT: sqsProxy?.url ?? sqsEndpoint,
    SHOPS: localShops(),
    LOCAL_WEBHOOK_SECRETS_JSON: options.webhookSecrets
      ? JSON.stringify(options.webhookSecrets)
      : localWebhookSecrets(),
    LOCAL_DESTINATION_SECRETS_JSON: JSON.stringify(destination),
    INBOX_QUEUE_URL: inbox.queue.url,
    INBOX_DLQ_URL: inbox.dlq.url,
    OUTBOX_QUEUE_URL: outbox.queue.url,
    OUTBOX_DLQ_URL: outbox.dlq.url,
    CART_CHECK_DLQ_URL: cartCheckDlq.url,
    ...retry,
    TABLE_NAME: TABLE,
    CIO_REGION: options.customerio?.region ?? 'us',
    ...(capture ? { CIO_TRACK_URL: capture.url } : {}),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: 'commerce-connector-local',
    SCHEDULER_MODE: 'local',
    LOCAL_SCHEDULER_FILE: join(
      options.dataDir ?? mkdtempSync(join(tmpdir(), 'connector-')),
      'schedules.json',
    ),
    CART_RECOVERY_STEPS_MINUTES:
      options.cartRecoveryStepsMinutes ?? process.env.CART_RECOVERY_STEPS_MINUTES ?? '60,1440',
    CART_RECOVERY_MIN_LEAD_SECONDS: '1',
    ...(options.dedupeLeaseSeconds ? { DEDUPE_LEASE_SECONDS: String(options.dedupeLeaseSeconds) } : {}),
    ...(options.customerIoTimeoutMs ? { CIO_TIMEOUT_MS: String(options.customerIoTimeoutMs) } : {}),
    // As in the CDK app: a send claimed by an invocation cut short at its timeout has ended by then.
    ...(options.functionTimeoutMs
      ? { DELIVERY_INFLIGHT_SECONDS: String(Math.ceil(options.functionTimeoutMs / 1000)) }
      : {}),
  });
  // Each handler reads its environment once, at import: the two SQS workers differ only by the queue they read.
  const ingest = (await import('../lambdas/ingest/handler.js')).handler as unknown as HttpLambda;
  process.env.SOURCE_QUEUE_URL = inbox.queue.url;
  const processHandler = (await import('../lambdas/process/handler.js')).handler as unknown as SqsLambda;
  process.env.SOURCE_QUEUE_URL = outbox.queue.url;
  const deliver = (await import('../lambdas/deliver/handler.js')).handler as unknown as SqsLambda;
  delete process.env.SOURCE_QUEUE_URL;
  const cartCheck = (await import('../lambdas/cart-check/handler.js')).handler;
  const scheduler = new LocalRecoveryScheduler(
    process.env.LOCAL_SCHEDULER_FILE ?? '',
    (input) => cartCheck(input, localLambdaContext('cart-check')),
    {
      log,
      // Lambda's async retries of the CDK app (retryAttempts: 2), then its on-failure destination.
      maxRetryAttempts: 2,
      // Lambda retries a minute apart, after a crashed attempt's claim lease (60 s) ran out; kept in that order
      // when the lease is shortened (a retry inside the lease only finds the claim held).
      retryDelayMs: Math.max(1_000, (options.dedupeLeaseSeconds ?? 0) * 1_000),
      timeoutMs: options.functionTimeoutMs,
      onExhausted: async (input, error, attempts) => {
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: cartCheckDlq.url,
            MessageBody: stringifyForSqs(invocationRecord('cart-check', input, error, attempts)),
          }),
        );
      },
    },
  );
  scheduler.start();

  const workerSettings = {
    batchSize: 10,
    region,
    timeoutMs: options.functionTimeoutMs,
  };
  const sources = [
    new SqsEventSource(
      sqs,
      processHandler,
      {
        name: 'process',
        queueUrl: inbox.queue.url,
        queueArn: inbox.queue.arn,
        ...workerSettings,
        concurrency: options.concurrency?.process ?? options.workerConcurrency,
      },
      log,
    ),
    new SqsEventSource(
      sqs,
      deliver,
      {
        name: 'deliver',
        queueUrl: outbox.queue.url,
        queueArn: outbox.queue.arn,
        ...workerSettings,
        concurrency: options.concurrency?.deliver ?? options.workerConcurrency,
      },
      log,
    ),
  ];
  for (const source of sources) source.start();
  const inspector = localInspectorRoute(
    {
      dynamo,
      tableName: TABLE,
      sqs,
      dlqs: { inbox: inbox.dlq, outbox: outbox.dlq, 'cart-check': cartCheckDlq },
    },
    log,
  );
  const gateway = await startHttpGateway(ingest, options.apiPort ?? 0, [inspector]);

  return {
    apiUrl: gateway.url,
    inspectorUrl: `${gateway.url}/inspector`,
    capture,
    queues: {
      inbox: inbox.queue,
      inboxDlq: inbox.dlq,
      outbox: outbox.queue,
      outboxDlq: outbox.dlq,
      cartCheckDlq,
    },
    sqs,
    sqsEndpoint,
    dynamoEndpoint,
    dynamo,
    tableName: TABLE,
    fauxqs,
    scheduler,
    deadLetters: () => readDeadLetters(fauxqs),
    stop: async () => {
      // Hung calls end first (their invocations fail), so nothing waits on a fault forever.
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await scheduler.stop();
      await new Promise<void>((resolve) => gateway.server.close(() => resolve()));
      await Promise.all(sources.map((s) => s.stop()));
      await capture?.close();
      notifyStackStopped({ deadLetters: readDeadLetters(fauxqs) });
      await fauxqs.stop();
      await new Promise<void>((resolve) => dynaliteServer.close(() => resolve()));
      unlock();
      sqs.destroy();
      dynamo.destroy();
    },
  };
};
