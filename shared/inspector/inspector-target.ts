import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoActivityReader } from '../activity/dynamo-activity-reader.js';
import { DynamoCartStore } from '../cart/dynamo-cart-store.js';
import { DynamoIdentityStore, IDENTITY_RETENTION } from '../identity/dynamo-identity-store.js';
import { DLQ_NAMES, DLQS, type DlqName } from '../operations/dead-letter-queues.js';
import { localStackFilePath, readLocalStackFile } from '../operations/local-stack-file.js';
import { readStackOutputs, TargetError } from '../operations/ops-target.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { SqsDeadLetterSource } from './dead-letter-source.js';
import type { InspectorSources } from './inspector-sources.js';

/** Where the inspector reads from: the table, the DLQs and the clients to reach them. */
export interface InspectorTarget {
  readonly label: string;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly sqs: SQSClient;
  readonly dlqs: Partial<Record<DlqName, { readonly url: string }>>;
  close(): void;
}

/** How the DLQs are read (see SqsDeadLetterSource): at most 500 per DLQ, hidden 20 s, a reading kept 30 s. */
const DLQ_READING = { max: 500, hideSeconds: 20, cacheMs: 30_000 } as const;
// Cart records are only read here; the retention only matters to writes.
const CART_RETENTION_DAYS = 30;

/** The read-only sources of a target. */
export const inspectorSources = (
  target: InspectorTarget,
  shops: readonly string[],
  clock: Clock = systemClock,
): InspectorSources => ({
  activity: new DynamoActivityReader(target.dynamo, target.tableName, clock),
  identity: new DynamoIdentityStore(
    target.dynamo,
    // The inspector only reads the graph: the cap on browsers per token matters to writes alone.
    { tableName: target.tableName, ...IDENTITY_RETENTION, maxAnonymousIdsPerToken: 10 },
    clock,
  ),
  carts: new DynamoCartStore(target.dynamo, {
    tableName: target.tableName,
    retentionDays: CART_RETENTION_DAYS,
  }),
  deadLetters: new SqsDeadLetterSource(target.sqs, target.dlqs, DLQ_READING, clock),
  shops,
  label: target.label,
});

/** A deployed stack: the table and DLQs from its outputs, credentials from the usual AWS chain or `profile`. */
export const stackTarget = async (options: {
  readonly stack: string;
  readonly profile?: string;
  readonly region?: string;
}): Promise<InspectorTarget> => {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const cfn = new CloudFormationClient(config);
  let outputs: Record<string, string>;
  try {
    outputs = await readStackOutputs(cfn, options.stack);
  } finally {
    cfn.destroy();
  }
  const tableName = outputs.TableName;
  if (!tableName) throw new TargetError(`stack ${options.stack} has no TableName output`);
  const dlqs: Partial<Record<DlqName, { url: string }>> = {};
  for (const name of DLQ_NAMES) {
    const url = outputs[DLQS[name].output];
    if (url) dlqs[name] = { url };
  }
  const dynamo = new DynamoDBClient(config);
  const sqs = new SQSClient(config);
  return {
    label: `stack ${options.stack}${options.region ? ` (${options.region})` : ''} — read-only`,
    dynamo,
    tableName,
    sqs,
    dlqs,
    close: () => {
      dynamo.destroy();
      sqs.destroy();
    },
  };
};

/** A running local stack, found through its `stack.json` (`npm start` writes it). */
export const localTarget = (dataDir: string): InspectorTarget => {
  const file = readLocalStackFile(resolve(dataDir));
  if (!file) {
    throw new TargetError(
      `no local stack found: ${localStackFilePath(resolve(dataDir))} does not exist (is \`npm start\` running?); --stack <name> reads a deployed stack`,
    );
  }
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: file.dynamoEndpoint, credentials });
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: file.sqsEndpoint, credentials });
  const q = file.queues;
  return {
    label: `local stack (${localStackFilePath(resolve(dataDir))})`,
    dynamo,
    tableName: file.tableName,
    sqs,
    dlqs: {
      inbox: q.inboxDlq,
      outbox: q.outboxDlq,
      ...(q.cartCheckDlq ? { 'cart-check': q.cartCheckDlq } : {}),
    },
    close: () => {
      dynamo.destroy();
      sqs.destroy();
    },
  };
};
