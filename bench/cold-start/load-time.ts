import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * Variables a deployed function sees at init: the Lambda runtime's own, Powertools', and a value for every
 * variable any function's env schema requires (schemas strip what they do not know). The handlers validate
 * their environment at import, as in AWS, so a schema that gains a required variable needs it added here.
 */
const LAMBDA_LIKE_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH00',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key-bench-secret-acce',
  AWS_SESSION_TOKEN: 'bench-session-token',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  POWERTOOLS_METRICS_NAMESPACE: 'CommerceConnector',
  WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:webhooks-AbCdEf',
  DESTINATION_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:destination-AbCdEf',
  ADMIN_SECRETS_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-api-AbCdEf',
  TABLE_NAME: 'connector',
  INBOX_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/inbox',
  INBOX_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/inbox-dlq',
  OUTBOX_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/outbox',
  OUTBOX_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/outbox-dlq',
  CART_CHECK_DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/cart-check-dlq',
  SOURCE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/source',
  SCHEDULER_MODE: 'aws',
  SCHEDULE_GROUP_NAME: 'connector-carts',
  CART_CHECK_TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:cart-check',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:scheduler-dlq',
};

/** The import, timed inside the child, so Node's own start-up (the same for every bundle) is left out. */
const SCRIPT = `
const cpu = process.cpuUsage();
const started = performance.now();
await import(process.env.BENCH_MODULE_URL);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ wallMs, cpuMs: (used.user + used.system) / 1000 }));
`;

/** One import of a bundle: wall clock and CPU time (the latter is what a busy machine distorts least). */
export interface LoadTime {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Milliseconds to import a bundle (parse, compile, run its top level: env validation, client construction) in a
 * fresh Node process with the function's NODE_OPTIONS (--enable-source-maps, which also reads the source map).
 */
export const loadOnce = (file: string, service: string): LoadTime => {
  const child = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      ...LAMBDA_LIKE_ENV,
      AWS_LAMBDA_FUNCTION_NAME: service,
      POWERTOOLS_SERVICE_NAME: service,
      BENCH_MODULE_URL: pathToFileURL(file).href,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (child.status !== 0) {
    throw new Error(
      `${service} bundle failed to load: ${child.stderr.trim().split('\n').slice(0, 6).join(' | ')}`,
    );
  }
  return JSON.parse(child.stdout) as LoadTime;
};
