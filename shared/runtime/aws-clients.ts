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

const options = (region: string, endpoint: string | undefined) =>
  endpoint ? { region, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 } : { region };

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
  new SecretsManagerClient({ region: env.AWS_REGION });

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
