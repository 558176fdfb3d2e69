import { resolve } from 'node:path';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FileRecoveryScheduler } from '../cart/file-recovery-scheduler.js';
import type { CartCheckInput } from '../cart/recovery-scheduler.js';
import { DLQ_NAMES, DLQS, type DlqName, SOURCE_QUEUE_OUTPUTS } from './dead-letter-queues.js';
import { localStackFilePath, readLocalStackFile } from './local-stack-file.js';

/** A queue the CLI works on. */
export interface QueueRef {
  readonly url: string;
  readonly arn?: string;
}

/** Runs one cart check again (the redrive of the cart-check and Scheduler DLQs). */
interface CartCheckRunner {
  /** How the check is run, for the output. */
  readonly how: string;
  run(input: CartCheckInput, functionArn: string | undefined): Promise<void>;
}

/** Where the CLI works: a deployed stack or the local stack, with every queue it found. */
export interface OpsTarget {
  readonly mode: 'aws' | 'local';
  /** e.g. `stack connector-prod (eu-west-1)` or `local stack (.local-data/stack.json)`. */
  readonly label: string;
  readonly sqs: SQSClient;
  readonly dlqs: Partial<Record<DlqName, QueueRef>>;
  /** Why a DLQ is not there (an older stack, or no local equivalent). */
  readonly missing: Partial<Record<DlqName, string>>;
  readonly queues: Partial<Record<'inbox' | 'outbox', QueueRef>>;
  /** Whether SQS StartMessageMoveTask is available (AWS: yes; fauxqs: no). */
  readonly moveTasks: boolean;
  readonly cartCheck: CartCheckRunner;
  /** The queue's ARN (read once from SQS when the stack outputs only give URLs). */
  arnOf(queue: QueueRef): Promise<string>;
  close(): void;
}

/** How the user chose the target. */
export interface TargetOptions {
  readonly stack?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly localData?: string;
}

/** A target that cannot be reached or found: the message says what to do. */
export class TargetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TargetError';
  }
}

const arnResolver = (sqs: SQSClient) => {
  const cache = new Map<string, string>();
  return async (queue: QueueRef): Promise<string> => {
    if (queue.arn) return queue.arn;
    const known = cache.get(queue.url);
    if (known) return known;
    const out = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['QueueArn'] }),
    );
    const arn = out.Attributes?.QueueArn;
    if (!arn) throw new TargetError(`SQS did not return the ARN of ${queue.url}`);
    cache.set(queue.url, arn);
    return arn;
  };
};

/** A deployed stack's outputs by key. Throws TargetError naming the options to check when the stack cannot be read. */
export const readStackOutputs = async (
  cfn: CloudFormationClient,
  stack: string,
): Promise<Record<string, string>> => {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    return Object.fromEntries(
      (out.Stacks?.[0]?.Outputs ?? []).flatMap((o) =>
        o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
      ),
    );
  } catch (error) {
    throw new TargetError(
      `cannot read stack ${stack}: ${error instanceof Error ? error.message : String(error)} (check --stack, --profile, --region)`,
      { cause: error },
    );
  }
};

// The cart-check function's logical id starts with its construct path (CartRecovery/CartCheck/Function).
const CART_CHECK_LOGICAL_ID = /^CartRecoveryCartCheck/;

const awsTarget = async (options: TargetOptions & { stack: string }): Promise<OpsTarget> => {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const cfn = new CloudFormationClient(config);
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient(config);
  let outputs: Record<string, string>;
  try {
    outputs = await readStackOutputs(cfn, options.stack);
  } catch (error) {
    cfn.destroy();
    sqs.destroy();
    lambda.destroy();
    throw error;
  }
  const dlqs: Partial<Record<DlqName, QueueRef>> = {};
  const missing: Partial<Record<DlqName, string>> = {};
  for (const name of DLQ_NAMES) {
    const url = outputs[DLQS[name].output];
    if (url) dlqs[name] = { url };
    else missing[name] = `stack output ${DLQS[name].output} not found (stack deployed before it existed?)`;
  }
  const queues: Partial<Record<'inbox' | 'outbox', QueueRef>> = {};
  for (const [name, output] of Object.entries(SOURCE_QUEUE_OUTPUTS) as ['inbox' | 'outbox', string][]) {
    const url = outputs[output];
    if (url) queues[name] = { url };
  }
  let cartCheckFunction: string | undefined;
  const findCartCheck = async (): Promise<string> => {
    if (cartCheckFunction) return cartCheckFunction;
    for await (const page of paginateListStackResources({ client: cfn }, { StackName: options.stack })) {
      const found = (page.StackResourceSummaries ?? []).find(
        (r) =>
          r.ResourceType === 'AWS::Lambda::Function' && CART_CHECK_LOGICAL_ID.test(r.LogicalResourceId ?? ''),
      );
      if (found?.PhysicalResourceId) {
        cartCheckFunction = found.PhysicalResourceId;
        return cartCheckFunction;
      }
    }
    throw new TargetError(`no cart-check function found in stack ${options.stack}`);
  };
  const region = options.region ?? (await sqs.config.region());
  return {
    mode: 'aws',
    label: `stack ${options.stack} (${region}${options.profile ? `, profile ${options.profile}` : ''})`,
    sqs,
    dlqs,
    missing,
    queues,
    moveTasks: true,
    arnOf: arnResolver(sqs),
    cartCheck: {
      how: 'Lambda Invoke (InvocationType Event) of the cart-check function with the original input',
      run: async (input, functionArn) => {
        const out = await lambda.send(
          new InvokeCommand({
            FunctionName: functionArn ?? (await findCartCheck()),
            InvocationType: 'Event',
            Payload: Buffer.from(JSON.stringify(input)),
          }),
        );
        if (out.StatusCode !== 202) throw new Error(`Lambda answered ${out.StatusCode} to the async invoke`);
      },
    },
    close: () => {
      cfn.destroy();
      sqs.destroy();
      lambda.destroy();
    },
  };
};

const localTarget = (dataDir: string, explicit: boolean): OpsTarget => {
  const file = readLocalStackFile(dataDir);
  const path = localStackFilePath(dataDir);
  if (!file) {
    throw new TargetError(
      explicit
        ? `no local stack found: ${path} does not exist (is \`npm start\` running with LOCAL_DATA_DIR=${dataDir}?)`
        : `no target: pass --stack <name> for a deployed stack, or start the local stack (\`npm start\`, which writes ${path}); --local-data <dir> points at another local stack`,
    );
  }
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: file.sqsEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const q = file.queues;
  const dlqs: Partial<Record<DlqName, QueueRef>> = {
    inbox: q.inboxDlq,
    outbox: q.outboxDlq,
    ...(q.cartCheckDlq ? { 'cart-check': q.cartCheckDlq } : {}),
    ...(q.schedulerDlq ? { scheduler: q.schedulerDlq } : {}),
  };
  const scheduler = file.schedulerFile ? new FileRecoveryScheduler(file.schedulerFile) : undefined;
  const deadSchedules = scheduler ? scheduler.dead().length : 0;
  return {
    mode: 'local',
    label: `local stack (${path})`,
    sqs,
    dlqs,
    missing: {
      ...(q.cartCheckDlq ? {} : { 'cart-check': 'this local stack has no cart-check DLQ' }),
      ...(q.schedulerDlq
        ? {}
        : {
            scheduler: `no SQS queue locally: the local scheduler keeps checks that failed every retry in the "dead" list of ${file.schedulerFile ?? 'its schedules file'} (${deadSchedules} now)`,
          }),
    },
    queues: { inbox: q.inbox, outbox: q.outbox },
    moveTasks: false,
    arnOf: arnResolver(sqs),
    cartCheck: {
      how: "a schedule due now in the local scheduler's file (the running stack fires it within a second)",
      run: async (input) => {
        if (!scheduler) throw new TargetError('this local stack did not say where its scheduler file is');
        await scheduler.schedule({ ...input, due_at: new Date() });
      },
    },
    close: () => sqs.destroy(),
  };
};

/**
 * Finds the target: `--stack` means a deployed stack (queue URLs from its outputs, credentials and region from
 * `--profile`/`--region` or the usual AWS chain); otherwise the local stack's discovery file in `--local-data`,
 * `LOCAL_DATA_DIR` or `.local-data`.
 */
export const resolveTarget = async (options: TargetOptions, env = process.env): Promise<OpsTarget> => {
  if (options.stack) return awsTarget({ ...options, stack: options.stack });
  if (options.profile || options.region) {
    throw new TargetError('--profile and --region go with --stack <name>');
  }
  const explicit = options.localData ?? env.LOCAL_DATA_DIR;
  return localTarget(resolve(explicit ?? '.local-data'), explicit !== undefined);
};
