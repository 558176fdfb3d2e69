import { ArnFormat, Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CartCheckEnvSchema, type ProcessEnv } from '../../shared/config/env.js';
import { ConnectorFunction, type LambdaEnvironment, lambdaEntry } from './connector-function.js';
import type { ConnectorTable } from './connector-table.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

/** The variables through which a function creates cart-check schedules. */
export type SchedulerEnvironment = Required<
  Pick<
    LambdaEnvironment<typeof CartCheckEnvSchema>,
    'SCHEDULE_GROUP_NAME' | 'CART_CHECK_TARGET_ARN' | 'SCHEDULER_ROLE_ARN' | 'SCHEDULER_DLQ_ARN'
  >
>;

/** Props of {@link CartRecovery}. */
export interface CartRecoveryProps {
  /** The connector table, where carts are kept. */
  readonly table: ConnectorTable;
  /** Where cart-check puts the events it emits. */
  readonly outbox: IQueue;
  /** @default 'customer_id' */
  readonly identifierStrategy?: ProcessEnv['IDENTIFIER_STRATEGY'];
  /** The configured shops as SHOPS JSON (their customer-id prefixes address the recovery events). @default '{}' */
  readonly shopsJson?: string;
  /** Path of the cart-check handler. @default lambdaEntry('cart-check') */
  readonly entry?: string;
}

/**
 * Abandoned-cart checks on one-time EventBridge Scheduler schedules, created at runtime: the schedule group, the
 * cart-check Lambda they invoke, the role Scheduler assumes to invoke it, and a DLQ for checks that never ran.
 */
export class CartRecovery extends Construct {
  /** The group every cart schedule is created in. */
  readonly scheduleGroup: ScheduleGroup;
  /** The role passed as each schedule's target `RoleArn`. */
  readonly schedulerRole: Role;
  /** Checks that failed every retry: the schedules' `DeadLetterConfig` and cart-check's async failures. */
  readonly deadLetterQueue: DeadLetterQueue;
  /** The Lambda each schedule invokes; it re-reads the cart, emits and reschedules. */
  readonly cartCheck: ConnectorFunction<typeof CartCheckEnvSchema>;
  /** What a function needs in its environment to create schedules (see {@link grantScheduling}). */
  readonly schedulerEnvironment: SchedulerEnvironment;

  constructor(scope: Construct, id: string, props: CartRecoveryProps) {
    super(scope, id);

    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup');

    this.deadLetterQueue = new DeadLetterQueue(this, 'Dlq', {
      description:
        'A cart check could not run (Scheduler could not invoke cart-check, or cart-check failed).',
    });
    Validations.of(this.deadLetterQueue.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is a dead-letter queue: for EventBridge Scheduler, which each schedule names at runtime, and ' +
        "for cart-check's asynchronous invocations, so it is no SQS queue's redrive target.",
    });

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // Only schedules of this account may assume the role (confused-deputy guard).
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });

    // cart-check reschedules itself, so its environment needs its own ARN; a fixed name lets the ARN be built
    // without referencing the function, which CloudFormation would reject as a circular dependency.
    const cartCheckName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.schedulerEnvironment = {
      SCHEDULE_GROUP_NAME: this.scheduleGroup.scheduleGroupName,
      CART_CHECK_TARGET_ARN: Stack.of(this).formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: cartCheckName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      SCHEDULER_DLQ_ARN: this.deadLetterQueue.queue.queueArn,
    };

    this.cartCheck = new ConnectorFunction(this, 'CartCheck', {
      entry: props.entry ?? lambdaEntry('cart-check'),
      functionName: cartCheckName,
      description:
        'Re-reads an abandoned cart when its schedule fires, emits the recovery event, reschedules',
      serviceName: 'cart-check',
      envSchema: CartCheckEnvSchema,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        OUTBOX_QUEUE_URL: props.outbox.queueUrl,
        IDENTIFIER_STRATEGY: props.identifierStrategy ?? 'customer_id',
        SHOPS: props.shopsJson ?? '{}',
        ...this.schedulerEnvironment,
      },
    });
    props.table.grantReadWriteData(this.cartCheck);
    props.outbox.grantSendMessages(this.cartCheck);
    this.grantScheduling(this.cartCheck);
    // Scheduler invokes asynchronously: its retries cover failed invocations, Lambda's cover a failed check,
    // within the same 6 h the schedules allow (SCHEDULER_MAX_EVENT_AGE_SECONDS).
    this.cartCheck.lambdaFunction.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue.queue),
    });

    this.cartCheck.lambdaFunction.grantInvokeLatestVersion(this.schedulerRole);
    this.deadLetterQueue.queue.grantSendMessages(this.schedulerRole);
  }

  /** Lets the function create and delete schedules in the group and pass the scheduler role to them. */
  grantScheduling(fn: ConnectorFunction): void {
    this.scheduleGroup.grantWriteSchedules(fn);
    this.scheduleGroup.grantDeleteSchedules(fn);
    this.schedulerRole.grantPassRole(fn.grantPrincipal);
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.scheduleGroup.scheduleGroupName}/*]`,
      reason:
        'Schedule names are per cart and made at runtime; the wildcard is limited to this one schedule group.',
    });
  }
}
