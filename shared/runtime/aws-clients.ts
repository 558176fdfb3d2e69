import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Region and optional local endpoints (dynalite, fauxqs, the local scheduler). */
export interface AwsEndpointConfig {
  readonly AWS_REGION: string;
  readonly DYNAMODB_ENDPOINT?: string;
  readonly SQS_ENDPOINT?: string;
  readonly SCHEDULER_ENDPOINT?: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Per-attempt limits of every AWS call. The SDK sets none, so a socket that never answers holds the invocation
 * until the function timeout and drags its whole batch back with it (each batch-mate loses an attempt). DynamoDB,
 * SQS and Scheduler answer in milliseconds; 5 s is far past any healthy call, and a timed-out attempt is retried
 * by the SDK, then classified transient (dependency_failed) for the record alone.
 */
export const AWS_CALL_TIMEOUTS = { connectionTimeout: 2_000, requestTimeout: 5_000 } as const;

/** Client options: region, timeouts, and for a local endpoint its fixed credentials. */
export const awsClientOptions = (
  region: string,
  endpoint: string | undefined,
  timeouts: { readonly connectionTimeout: number; readonly requestTimeout: number } = AWS_CALL_TIMEOUTS,
) => ({
  region,
  // Without throwOnRequestTimeout the SDK only logs a warning when the limit passes, and keeps waiting.
  requestHandler: { ...timeouts, throwOnRequestTimeout: true },
  ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 } : {}),
});

const options = (region: string, endpoint: string | undefined) => awsClientOptions(region, endpoint);

/** A DynamoDB client (built once per container by the caller). */
const dynamoClient = (env: AwsEndpointConfig): DynamoDBClient =>
  new DynamoDBClient(options(env.AWS_REGION, env.DYNAMODB_ENDPOINT));

/** An SQS client. */
const sqsClient = (env: AwsEndpointConfig): SQSClient =>
  new SQSClient(options(env.AWS_REGION, env.SQS_ENDPOINT));

/** An EventBridge Scheduler client. */
export const schedulerClient = (env: AwsEndpointConfig): SchedulerClient =>
  new SchedulerClient(options(env.AWS_REGION, env.SCHEDULER_ENDPOINT));

/** A Secrets Manager client. */
const secretsClient = (env: AwsEndpointConfig): SecretsManagerClient =>
  new SecretsManagerClient(awsClientOptions(env.AWS_REGION, undefined));

/**
 * AWS clients, each created on first use. Each function's wiring takes the ones it calls as a parameter, so the
 * bench can count every request with SDK middleware; its defaults name only those (a bundle carries no other
 * client).
 */
export interface AwsClients {
  readonly dynamo: () => DynamoDBClient;
  readonly sqs: () => SQSClient;
  readonly scheduler: () => SchedulerClient;
  readonly secrets: () => SecretsManagerClient;
}

const once = <T>(create: () => T): (() => T) => {
  let made: T | undefined;
  return () => {
    made ??= create();
    return made;
  };
};

/** A DynamoDB client of the environment, made on first use (one per container). */
export const lazyDynamo = (env: AwsEndpointConfig): AwsClients['dynamo'] => once(() => dynamoClient(env));
/** An SQS client, made on first use. */
export const lazySqs = (env: AwsEndpointConfig): AwsClients['sqs'] => once(() => sqsClient(env));
/** A Scheduler client, made on first use. */
export const lazyScheduler = (env: AwsEndpointConfig): AwsClients['scheduler'] =>
  once(() => schedulerClient(env));
/** A Secrets Manager client, made on first use. */
export const lazySecrets = (env: AwsEndpointConfig): AwsClients['secrets'] => once(() => secretsClient(env));
