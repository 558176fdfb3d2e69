import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { SqsMessageQueue } from '../../adapters/sqs-message-queue.js';
import { type AdminSecrets, AdminSecretsSchema } from '../../config/admin-secrets.js';
import type { MessageQueue } from '../../ports/message-queue.js';
import { readLocalStackFile } from '../local-stack-file.js';
import { readStackOutputs, TargetError } from '../ops-target.js';
import { readFakeShopFile } from './fake-shop-file.js';

/** Where backfill and reconciliation feed, and with which credentials they read the platforms. */
export interface SyncTarget {
  readonly label: string;
  readonly inbox: MessageQueue;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  /** The connector's webhook URLs (for the subscription check). */
  readonly webhookUrls: { readonly shopify?: string; readonly recharge?: string };
  /** API origins other than the platforms' own (the local fake shop). */
  readonly apiUrls?: { readonly shopify: string; readonly recharge: string; readonly judgeme: string };
  adminSecrets(): Promise<AdminSecrets>;
  close(): void;
}

/** How the user chose the target (the ops CLI's options). */
export interface SyncTargetOptions {
  readonly stack?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly localData?: string;
}

const parseSecrets = (text: string, origin: string): AdminSecrets => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TargetError(`${origin} is not JSON`);
  }
  const parsed = AdminSecretsSchema.safeParse(json);
  if (!parsed.success)
    throw new TargetError(`${origin} is not an Admin API secret: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
};

const stackTarget = async (options: SyncTargetOptions & { stack: string }): Promise<SyncTarget> => {
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
  const need = (key: string): string => {
    const value = outputs[key];
    if (!value)
      throw new TargetError(
        `stack ${options.stack} has no output ${key} (deployed before backfill existed?)`,
      );
    return value;
  };
  const inboxUrl = need('InboxQueueUrl');
  const tableName = need('TableName');
  const secretArn = need('AdminSecretArn');
  const sqs = new SQSClient(config);
  const dynamo = new DynamoDBClient(config);
  const secrets = new SecretsManagerClient(config);
  return {
    label: `stack ${options.stack}`,
    inbox: new SqsMessageQueue(sqs, inboxUrl),
    dynamo,
    tableName,
    webhookUrls: {
      ...(outputs.WebhookUrlShopify ? { shopify: outputs.WebhookUrlShopify } : {}),
      ...(outputs.WebhookUrlRecharge ? { recharge: outputs.WebhookUrlRecharge } : {}),
    },
    adminSecrets: async () => {
      const out = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
      if (!out.SecretString) throw new TargetError('the Admin API secret holds no text');
      return parseSecrets(out.SecretString, 'the Admin API secret');
    },
    close: () => {
      sqs.destroy();
      dynamo.destroy();
      secrets.destroy();
    },
  };
};

const localTarget = (dataDir: string, env: NodeJS.ProcessEnv): SyncTarget => {
  const stack = readLocalStackFile(dataDir);
  if (!stack) {
    throw new TargetError(
      `no target: pass --stack <name> for a deployed stack, or start the local stack (\`npm start\`) — no ${dataDir}/stack.json`,
    );
  }
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: stack.sqsEndpoint, credentials });
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: stack.dynamoEndpoint, credentials });
  const fake = readFakeShopFile(dataDir);
  return {
    label: `local stack (${dataDir})${fake ? ` with the fake shop ${fake.shop}` : ''}`,
    inbox: new SqsMessageQueue(sqs, stack.queues.inbox.url),
    dynamo,
    tableName: stack.tableName,
    webhookUrls: {
      shopify: `${stack.apiUrl}/webhooks/shopify`,
      recharge: `${stack.apiUrl}/webhooks/recharge`,
    },
    ...(fake
      ? { apiUrls: { shopify: fake.shopifyUrl, recharge: fake.rechargeUrl, judgeme: fake.judgemeUrl } }
      : {}),
    adminSecrets: async () => {
      if (env.LOCAL_ADMIN_SECRETS_JSON)
        return parseSecrets(env.LOCAL_ADMIN_SECRETS_JSON, 'LOCAL_ADMIN_SECRETS_JSON');
      if (fake) return parseSecrets(JSON.stringify(fake.adminSecrets), `${dataDir}/fake-shop.json`);
      throw new TargetError(
        'no Admin API credentials: start the fake shop (`npm run fake-shop`) or set LOCAL_ADMIN_SECRETS_JSON',
      );
    },
    close: () => {
      sqs.destroy();
      dynamo.destroy();
    },
  };
};

/**
 * The target of a backfill or reconciliation: a deployed stack (`--stack`: inbox, table and Admin API secret from
 * its outputs, with the operator's AWS credentials) or the local stack of a data folder (with the fake shop of
 * `npm run fake-shop` when it runs, else LOCAL_ADMIN_SECRETS_JSON and the platforms' real APIs).
 */
export const resolveSyncTarget = async (
  options: SyncTargetOptions,
  env = process.env,
): Promise<SyncTarget> => {
  if (options.stack) return stackTarget({ ...options, stack: options.stack });
  if (options.profile || options.region)
    throw new TargetError('--profile and --region go with --stack <name>');
  return localTarget(resolve(options.localData ?? env.LOCAL_DATA_DIR ?? '.local-data'), env);
};
