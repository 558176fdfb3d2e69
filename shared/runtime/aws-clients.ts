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
export const dynamoClient = (env: AwsEndpointConfig): DynamoDBClient =>
  new DynamoDBClient(options(env.AWS_REGION, env.DYNAMODB_ENDPOINT));

/** An SQS client. */
export const sqsClient = (env: AwsEndpointConfig): SQSClient =>
  new SQSClient(options(env.AWS_REGION, env.SQS_ENDPOINT));

/** An EventBridge Scheduler client. */
export const schedulerClient = (env: AwsEndpointConfig): SchedulerClient =>
  new SchedulerClient(options(env.AWS_REGION, env.SCHEDULER_ENDPOINT));

/** A Secrets Manager client. */
export const secretsClient = (env: AwsEndpointConfig): SecretsManagerClient =>
  new SecretsManagerClient({ region: env.AWS_REGION });
