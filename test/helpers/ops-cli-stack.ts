import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MessageAttributeValue, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { eventIdFor } from '../../shared/canonical/event-id.js';
import type { OpsIo } from '../../shared/operations/commands/command.js';
import { writeLocalStackFile } from '../../shared/operations/local-stack-file.js';
import { runOps } from '../../shared/operations/ops-cli.js';
import { resolveTarget } from '../../shared/operations/ops-target.js';
import type { Log, LogFields } from '../../shared/ports/telemetry.js';
import { readSample } from './fixtures.js';

const ORDER = readSample('shopify/orders-create.json');
/** The shop of the local stack's deliveries. */
export const SHOP = LOCAL_DEFAULTS.shop;

/** The sample order under another id, so each test has its own Order Completed. */
export const orderBody = (orderId: number): string =>
  ORDER.replace('"id": 820982911946154508', `"id": ${orderId}`);
/** The event id of the Order Completed of `orderBody(orderId)`. */
export const orderEventId = (orderId: number): string => eventIdFor(`order-completed#${SHOP}#${orderId}`);

/** An inbox envelope of a signed Shopify delivery, as ingest queues it. */
export const envelope = (deliveryId: string, body: string, topic = 'orders/create') =>
  JSON.stringify({
    version: 1,
    source: 'shopify',
    topic,
    shop: SHOP,
    deliveryId,
    receivedAt: new Date().toISOString(),
    signed: true,
    body,
  });

/** The failure attributes a worker sets when it parks a message (CONTRACTS.md), permanent from the inbox. */
export const contractAttributes = (code: string, extra: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries({
      failure_code: code,
      failure_class: 'permanent',
      failure_reason: `${code}: test reason`,
      failed_at: new Date().toISOString(),
      attempts: '1',
      origin: 'inbox',
      ...extra,
    }).map(([k, v]) => [k, { DataType: 'String', StringValue: v } satisfies MessageAttributeValue]),
  );

/**
 * Starts a local stack (1 s visibility, 2 attempts) for the enclosing describe block, with its stack file in a
 * temporary data directory, and gives the tests the ops CLI against it and ways to park and look at messages.
 * Call the functions inside tests: the stack starts in beforeAll.
 */
export const useOpsCliStack = () => {
  let stack: LocalStack;
  let dataDir: string;
  const logged: { message: string; fields?: LogFields }[] = [];
  const log: Log = {
    debug() {},
    info: (message, fields) => logged.push({ message, fields }),
    warn: (message, fields) => logged.push({ message, fields }),
    error: (message, fields) => logged.push({ message, fields }),
  };

  const ops = async (args: string[], answers: string[] = []) => {
    let out = '';
    let err = '';
    const io: OpsIo = {
      out: (t) => (out += t),
      err: (t) => (err += t),
      interactive: answers.length > 0,
      ask: async () => answers.shift() ?? '',
      now: () => new Date(),
      target: (options) => resolveTarget(options, {}),
      pollMs: 50,
    };
    const code = await runOps([...args, '--local-data', dataDir], io);
    return { code, out, err };
  };
  const park = (queue: 'inboxDlq' | 'outboxDlq' | 'cartCheckDlq', body: string, attrs = {}) =>
    stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queues[queue].url,
        MessageBody: body,
        MessageAttributes: attrs,
      }),
    );
  const inspect = (name: string) => {
    const q = stack.fauxqs.inspectQueue(name);
    return {
      ready: q?.messages.ready ?? [],
      inflight: q?.messages.inflight ?? [],
    };
  };
  const capturedEvents = (id: string) =>
    (stack.capture?.operations() ?? []).filter((op) => op.action === 'event' && op.id === id);

  beforeAll(async () => {
    stack = await startLocalStack({
      apiPort: 0,
      visibilityTimeoutSeconds: 1,
      retry: { maxAttempts: 2 },
      log,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'ops-cli-'));
    writeLocalStackFile(dataDir, {
      pid: process.pid,
      sqsEndpoint: stack.sqsEndpoint,
      dynamoEndpoint: stack.dynamoEndpoint,
      apiUrl: stack.apiUrl,
      tableName: stack.tableName,
      schedulerFile: stack.scheduler.path,
      queues: stack.queues,
    });
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    /** Runs the ops CLI against the stack; `answers` make it interactive and answer its questions in turn. */
    ops,
    /** Sends a message straight to a DLQ, as a worker parking it would. */
    park,
    /** The ready and in-flight messages of a queue, without receiving them. */
    inspect,
    /** The events Customer.io (the local capture) received with this event id. */
    capturedEvents,
    /** Every line the stack logged at info and above. */
    logged,
    /** The temporary data directory holding the stack file. */
    dataDir: () => dataDir,
  };
};
