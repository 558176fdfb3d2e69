import * as path from 'node:path';
import { Duration, Token, Validations } from 'aws-cdk-lib';
import { type IGrantable, type IPrincipal, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as z from 'zod';

/** Path of a Lambda's handler module in this repository: `lambdas/<name>/handler.ts`. */
export const lambdaEntry = (name: string): string =>
  path.join(import.meta.dirname, '..', '..', 'lambdas', name, 'handler.ts');

/** Variables only the local stack sets: endpoint overrides, inline secrets, and AWS_REGION (reserved by Lambda). */
type LocalOnlyVariable =
  | 'AWS_REGION'
  | 'DYNAMODB_ENDPOINT'
  | 'SQS_ENDPOINT'
  | 'SCHEDULER_ENDPOINT'
  | 'LOCAL_WEBHOOK_SECRETS_JSON'
  | 'LOCAL_DESTINATION_SECRETS_JSON';

/**
 * The variables a Lambda's env schema accepts in AWS, as strings: required where the schema has no default,
 * optional where it has one. Local-only variables are left out, so plaintext secrets cannot reach the env.
 */
export type LambdaEnvironment<S extends z.ZodObject> = Omit<
  { [K in keyof z.input<S>]: string },
  LocalOnlyVariable
>;

/** Props of {@link ConnectorFunction}. */
export interface ConnectorFunctionProps<S extends z.ZodObject> {
  /** Path of the handler module; it must export `handler`. */
  readonly entry: string;
  /** The Lambda's env contract (shared/config/env.ts); `environment` is checked against it at synth time. */
  readonly envSchema: S;
  /** The Lambda's own variables; the Powertools and Node variables are added by this construct. */
  readonly environment: LambdaEnvironment<S>;
  /** Powertools service name, one per function (the `service` key of every log line and metric). */
  readonly serviceName: string;
  /**
   * Powertools metrics namespace, shared by the connector's functions.
   * @default 'CommerceConnector'
   */
  readonly metricsNamespace?: string;
  /** @default - none */
  readonly description?: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /**
   * Memory in MiB. Lambda allocates CPU in proportion to memory, and a cold start spends most of its time
   * compiling the ~0.5 MB bundle, so 512 MiB buys a faster cold start for little cost.
   * @default 512
   */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Physical name, for a function that must know its own ARN without referencing itself. @default - generated */
  readonly functionName?: string;
  /** Lambda active tracing (X-Ray). @default false */
  readonly tracing?: boolean;
  /**
   * Reserved concurrency: instances held for this function, which it can never exceed. @default - none: the
   * function draws on the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
}

/** Lambda's limit on one function's environment: keys and values together. */
const ENVIRONMENT_LIMIT_BYTES = 4_096;
/**
 * Size assumed for a value only known at deploy time: a queue URL or an ARN of this stack runs 60-120 bytes
 * (https://sqs.<region>.amazonaws.com/<account>/<stack>-<id>-<suffix>), so 128 errs on the safe side.
 */
const DEPLOY_TIME_VALUE_BYTES = 128;

/** Fails the synth when the environment cannot fit Lambda's 4 KB, rather than the deploy (e.g. too many shops). */
const checkEnvironmentSize = (scope: Construct, environment: Record<string, string>): void => {
  const bytes = Object.entries(environment).reduce(
    (sum, [key, value]) =>
      sum +
      Buffer.byteLength(key) +
      (Token.isUnresolved(value) ? DEPLOY_TIME_VALUE_BYTES : Buffer.byteLength(value)),
    0,
  );
  if (bytes > ENVIRONMENT_LIMIT_BYTES) {
    throw new Error(
      `${scope.node.path}: environment needs about ${bytes} bytes, over Lambda's ${ENVIRONMENT_LIMIT_BYTES}; ` +
        'move the largest setting (usually the shops) into a smaller form',
    );
  }
};

/**
 * Parses the environment with its schema at synth time. Values that are tokens (ARNs, URLs, names of resources
 * in the stack) are only known at deploy time, so their issues are ignored; every literal is checked.
 */
const checkEnvironment = (scope: Construct, schema: z.ZodObject, environment: object): void => {
  const result = schema.safeParse(environment);
  if (result.success) {
    return;
  }
  const deployTimeKeys = new Set(
    Object.entries(environment).flatMap(([key, value]) => (Token.isUnresolved(value) ? [key] : [])),
  );
  const issues = result.error.issues.filter((issue) => !deployTimeKeys.has(String(issue.path[0])));
  if (issues.length > 0) {
    throw new Error(
      `${scope.node.path}: environment breaks its schema:\n${z.prettifyError(new z.ZodError(issues))}`,
    );
  }
};

/**
 * Modules the AWS SDK imports dynamically, only on paths a Lambda never takes: the credential chain reaches them
 * only when the environment holds no credentials (Lambda always sets AWS_ACCESS_KEY_ID and friends, and the
 * container-credentials fallback stays bundled), and the event-stream codec only for operations with event streams
 * (none of the DynamoDB, SQS, Scheduler and Secrets Manager calls used). Left out of the bundle, they save about
 * 110 KiB per function (the STS, SSO and sign-in clients behind them); were one ever imported, the import would fail
 * loudly rather than silently use another copy.
 */
const NEVER_LOADED_IN_LAMBDA = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@smithy/core/event-streams',
];

/** How every connector function is bundled (exported so `npm run bench` builds exactly what is deployed). */
export const CONNECTOR_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  // Prefer the SDK's ES module builds: they tree-shake to a smaller bundle than its CommonJS ones.
  mainFields: ['module', 'main'],
  // Bundled CommonJS dependencies still call require(); ESM output has none unless the banner makes one.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  // The map only needs line mappings for stack traces; the sources are in the repository.
  sourcesContent: false,
  // Bundle the AWS SDK too: the pinned version is what was tested, and a bundled SDK loads faster
  // than the runtime's copy from node_modules.
  externalModules: NEVER_LOADED_IN_LAMBDA,
} as const satisfies BundlingOptions;

/**
 * The house Lambda: Node 24 on arm64, an ESM bundle built by the local esbuild with the AWS SDK inside,
 * source maps, an explicit log group with retention, and its own role with no managed policy.
 */
export class ConnectorFunction<S extends z.ZodObject = z.ZodObject> extends Construct implements IGrantable {
  /** The function. */
  readonly lambdaFunction: NodejsFunction;
  /** The function's execution role; grants land in its default policy. */
  readonly role: Role;
  /** The function's log group. */
  readonly logGroup: LogGroup;
  /** The principal that grants apply to (the execution role). */
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: ConnectorFunctionProps<S>) {
    super(scope, id);

    checkEnvironment(this, props.envSchema, props.environment);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    // A custom role instead of the default one, which carries the AWSLambdaBasicExecutionRole managed policy
    // (logs:CreateLogGroup on *); this function only needs to write to its own log group.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    const environment: Record<string, string> = {
      ...(props.environment as Record<string, string>),
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'CommerceConnector',
    };
    checkEnvironmentSize(this, environment);

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment,
      tracing: props.tracing ? Tracing.ACTIVE : undefined,
      reservedConcurrentExecutions: props.reservedConcurrency,
      bundling: CONNECTOR_BUNDLING,
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which X-Ray only grants on all ' +
          'resources (it has no resource-level permissions); nothing else in this role uses a wildcard.',
      });
    }
  }
}
