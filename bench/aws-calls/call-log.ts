import { performance } from 'node:perf_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type Span, sequentialRoundTrips } from './critical-path.js';

/** The AWS services a webhook's path calls. */
export type AwsService = 'dynamodb' | 'sqs' | 'scheduler';

/** One command a client sent, as the SDK middleware saw it (retries by the SDK stay inside one command). */
export interface RecordedCall extends Span {
  readonly service: AwsService;
  readonly command: string;
  /** The error name when the command failed (e.g. ConditionalCheckFailedException). */
  readonly failed?: string;
  /** Entries of a batch command (SendMessageBatch, BatchWriteItem, TransactWriteItems); 1 otherwise. */
  readonly entries: number;
  /**
   * DynamoDB capacity units the call consumed, as the emulator reports them (ReturnConsumedCapacity TOTAL: item size
   * in 1 KB write or 4 KB read units, like DynamoDB; index writes not included). A refused conditional write reports
   * none: counted as 1 write unit, DynamoDB's minimum for it.
   */
  readonly capacity: number;
  /** Kind of DynamoDB item (its key's prefix: `delivery`, `order-completed`, `id`, `cart`...), or the service. */
  readonly item: string;
  /** Bytes of the messages an SQS send carried (SQS bills each 64 KB of a request as one request). */
  readonly bytes: number;
  /** A write that sets gsi1 keys on its item (the index is written too: more write units). */
  readonly indexed: boolean;
}

/** DynamoDB commands that write (a failed conditional write is still a billed write request). */
const DYNAMO_WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/** Item kinds written with gsi1 keys: each such write also writes the index (more write units). */
const INDEXED_ITEMS = new Set(['id', 'order-owner', 'cart', 'merge-profiles']);

/** Whether a write puts gsi1 keys on its item (an activity entry about an order does; most do not). */
const setsIndexKeys = (input: unknown): boolean => {
  const value = input as { Item?: { gsi1pk?: unknown }; UpdateExpression?: string };
  return value.Item?.gsi1pk !== undefined || (value.UpdateExpression?.includes('gsi1pk') ?? false);
};

/** Entries of a batch input, counted the way AWS bills them (one per message or item). */
const entriesOf = (input: unknown): number => {
  const value = input as {
    Entries?: unknown[];
    TransactItems?: unknown[];
    RequestItems?: Record<string, unknown[]>;
  };
  if (Array.isArray(value.Entries)) return value.Entries.length;
  if (Array.isArray(value.TransactItems)) return value.TransactItems.length;
  if (value.RequestItems && typeof value.RequestItems === 'object') {
    return Object.values(value.RequestItems).reduce(
      (n, list) => n + (Array.isArray(list) ? list.length : 0),
      0,
    );
  }
  return 1;
};

/** The prefix of the first key a DynamoDB input names (`delivery#…` → `delivery`). */
const itemOf = (input: unknown): string => {
  const value = input as {
    Key?: { pk?: { S?: string } };
    Item?: { pk?: { S?: string } };
    RequestItems?: Record<string, { Keys?: { pk?: { S?: string } }[] }>;
  };
  const pk =
    value.Key?.pk?.S ??
    value.Item?.pk?.S ??
    Object.values(value.RequestItems ?? {})[0]
      ?.Keys?.map((k) => k.pk?.S?.split('#')[0])
      .join('+');
  return pk?.split('#')[0] ?? '';
};

/** Bytes of the bodies an SQS send input carries. */
const bytesOf = (input: unknown): number => {
  const value = input as { MessageBody?: string; Entries?: { MessageBody?: string }[] };
  const bodies = value.Entries?.map((e) => e.MessageBody ?? '') ?? [value.MessageBody ?? ''];
  return bodies.reduce((n, body) => n + Buffer.byteLength(body), 0);
};

/** Capacity units a DynamoDB output reports (one object, or one per table for batch commands). */
const capacityOf = (output: unknown): number => {
  const consumed = (output as { output?: { ConsumedCapacity?: unknown } }).output?.ConsumedCapacity;
  const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
    CapacityUnits?: number;
  }[];
  return list.reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
};

/** What a set of calls amounts to. */
export interface CallSummary {
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  /** Write requests refused by their condition (included in dynamoWrites). */
  readonly failedConditions: number;
  readonly sqsCalls: number;
  /** Messages those SQS calls carried (a SendMessageBatch of 3 is 1 call, 3 messages). */
  readonly sqsMessages: number;
  readonly schedulerCalls: number;
  /** DynamoDB read and write capacity units consumed (on-demand bills these). */
  readonly readUnits: number;
  readonly writeUnits: number;
  /** SQS requests as billed: each 64 KB of a request's payload counts as one. */
  readonly sqsBilledRequests: number;
  /** Write requests to item kinds that carry gsi1 keys (identity, order owners, carts, profile merges). */
  readonly indexedWrites: number;
  /** Write requests by item kind (`delivery`, `id`, `activity`, `rollup-delivered`...). */
  readonly writesByItem: Readonly<Record<string, number>>;
  /** The longest chain of calls made one after another (concurrent calls count once). */
  readonly roundTrips: number;
  readonly byCommand: Readonly<Record<string, number>>;
}

/**
 * Records every command the instrumented clients send: an `initialize`-step middleware, so a command counts once
 * whatever the SDK retries, and a failed one (a refused conditional write) counts too.
 */
export class CallLog {
  readonly calls: RecordedCall[] = [];

  /** Adds the recording middleware to a client (returns it, for chaining). */
  dynamo(client: DynamoDBClient): DynamoDBClient {
    client.middlewareStack.add(
      (next, context) => (args) => {
        // Asked for on every call so capacity can be summed (the bench's clients only).
        (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
        return this.track('dynamodb', context.commandName, args.input, () => next(args));
      },
      { step: 'initialize', name: 'benchCallLog' },
    );
    return client;
  }

  sqs(client: SQSClient): SQSClient {
    client.middlewareStack.add(
      (next, context) => (args) => this.track('sqs', context.commandName, args.input, () => next(args)),
      { step: 'initialize', name: 'benchCallLog' },
    );
    return client;
  }

  scheduler(client: SchedulerClient): SchedulerClient {
    client.middlewareStack.add(
      (next, context) => (args) => this.track('scheduler', context.commandName, args.input, () => next(args)),
      { step: 'initialize', name: 'benchCallLog' },
    );
    return client;
  }

  /** A mark to take the calls made after it with {@link since}. */
  mark(): number {
    return this.calls.length;
  }

  since(mark: number): RecordedCall[] {
    return this.calls.slice(mark);
  }

  private async track<T>(
    service: AwsService,
    command: string | undefined,
    input: unknown,
    run: () => Promise<T>,
  ): Promise<T> {
    const start = performance.now();
    const base = {
      service,
      command: command ?? 'unknown',
      entries: entriesOf(input),
      item: service === 'dynamodb' ? itemOf(input) : service,
      bytes: service === 'sqs' ? bytesOf(input) : 0,
      indexed: service === 'dynamodb' && setsIndexKeys(input),
    };
    try {
      const out = await run();
      this.calls.push({ ...base, capacity: capacityOf(out), start, end: performance.now() });
      return out;
    } catch (error) {
      const failed = error instanceof Error ? error.name : 'Error';
      const capacity = service === 'dynamodb' && DYNAMO_WRITES.has(base.command) ? 1 : 0;
      this.calls.push({ ...base, capacity, failed, start, end: performance.now() });
      throw error;
    }
  }
}

/** Counts of a set of calls. */
export const summarize = (calls: readonly RecordedCall[]): CallSummary => {
  const byCommand: Record<string, number> = {};
  for (const call of calls) {
    const name = `${call.command.replace(/Command$/, '')}${call.failed ? ` (${call.failed.replace(/Exception$/, '')})` : ''}`;
    byCommand[name] = (byCommand[name] ?? 0) + 1;
  }
  const dynamo = calls.filter((c) => c.service === 'dynamodb');
  const writes = dynamo.filter((c) => DYNAMO_WRITES.has(c.command));
  const sqs = calls.filter((c) => c.service === 'sqs');
  return {
    dynamoReads: dynamo.length - writes.length,
    dynamoWrites: writes.length,
    failedConditions: writes.filter((c) => c.failed === 'ConditionalCheckFailedException').length,
    sqsCalls: sqs.length,
    sqsMessages: sqs.filter((c) => c.command.startsWith('SendMessage')).reduce((n, c) => n + c.entries, 0),
    schedulerCalls: calls.filter((c) => c.service === 'scheduler').length,
    readUnits: dynamo.filter((c) => !DYNAMO_WRITES.has(c.command)).reduce((n, c) => n + c.capacity, 0),
    writeUnits: writes.reduce((n, c) => n + c.capacity, 0),
    sqsBilledRequests: sqs.reduce((n, c) => n + Math.max(1, Math.ceil(c.bytes / (64 * 1024))), 0),
    indexedWrites: writes.filter((c) => !c.failed && (INDEXED_ITEMS.has(c.item) || c.indexed)).length,
    writesByItem: writes.reduce<Record<string, number>>((by, c) => {
      by[c.item] = (by[c.item] ?? 0) + 1;
      return by;
    }, {}),
    roundTrips: sequentialRoundTrips(calls),
    byCommand,
  };
};
