import { ArnFormat, Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CartCheckEnvSchema } from '../../shared/config/env.js';
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

/** The cart-check settings that process shares with cart-check (they must agree on steps and retention). */
export type CartRecoverySettings = Pick<
  LambdaEnvironment<typeof CartCheckEnvSchema>,
  | 'CART_RECOVERY_STEPS_MINUTES'
  | 'CART_RETENTION_DAYS'
  | 'IDENTIFIER_STRATEGY'
  | 'SHOPS'
  | 'ACTIVITY_LOG'
  | 'ACTIVITY_RETENTION_DAYS'
>;

/** Props of {@link CartRecovery}. */
export interface CartRecoveryProps {
  /** The connector table, where carts are kept. */
  readonly table: ConnectorTable;
  /** Where cart-check puts the events it emits. */
  readonly outbox: IQueue;
  /** Settings cart-check shares with process. @default - the env schema's defaults */
  readonly settings?: CartRecoverySettings;
  /** Path of the cart-check handler. @default lambdaEntry('cart-check') */
  readonly entry?: string;
  /** @default Duration.days(14) */
  readonly deadLetterRetentionPeriod?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default false */
  readonly tracing?: boolean;
  /** Reserved concurrency of cart-check. @default - none */
  readonly reservedConcurrency?: number;
}

/** Scheduler retries and Lambda's async retries both give up after this (SCHEDULER_MAX_EVENT_AGE_SECONDS). */
const MAX_EVENT_AGE = Duration.hours(6);

/**
 * Abandoned-cart checks on one-time EventBridge Scheduler schedules, created at runtime: the schedule group, the
 * cart-check Lambda they invoke, the role Scheduler assumes to invoke it, and two DLQs (CONTRACTS.md): one for
 * invocations Scheduler could not make, one for checks that ran and failed.
 */
export class CartRecovery extends Construct {
  /** The group every cart schedule is created in. */
  readonly scheduleGroup: ScheduleGroup;
  /** The role passed as each schedule's target `RoleArn`. */
  readonly schedulerRole: Role;
  /** Scheduler could not invoke cart-check: the schedules' `DeadLetterConfig`. */
  readonly schedulerDlq: DeadLetterQueue;
  /** cart-check failed every async retry, or parked a permanent failure itself. */
  readonly cartCheckDlq: DeadLetterQueue;
  /** The Lambda each schedule invokes; it re-reads the cart, emits and reschedules. */
  readonly cartCheck: ConnectorFunction<typeof CartCheckEnvSchema>;
  /** What a function needs in its environment to create schedules (see {@link grantScheduling}). */
  readonly schedulerEnvironment: SchedulerEnvironment;

  constructor(scope: Construct, id: string, props: CartRecoveryProps) {
    super(scope, id);

    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup');

    this.schedulerDlq = new DeadLetterQueue(this, 'SchedulerDlq', {
      retentionPeriod: props.deadLetterRetentionPeriod,
      notARedriveTargetBecause:
        'This queue is the dead-letter queue of EventBridge Scheduler, which each schedule names at runtime ' +
        '(DeadLetterConfig), so no SQS queue redrives into it.',
    });
    this.cartCheckDlq = new DeadLetterQueue(this, 'CartCheckDlq', {
      retentionPeriod: props.deadLetterRetentionPeriod,
      notARedriveTargetBecause:
        "This queue is cart-check's asynchronous on-failure destination and where it parks permanent failures, " +
        'so no SQS queue redrives into it.',
    });

    const stack = Stack.of(this);
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account, in this one group, may assume the role.
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
    });

    // cart-check reschedules itself, so its environment needs its own ARN; a fixed name lets the ARN be built
    // without referencing the function, which CloudFormation would reject as a circular dependency.
    const cartCheckName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    this.schedulerEnvironment = {
      SCHEDULE_GROUP_NAME: this.scheduleGroup.scheduleGroupName,
      CART_CHECK_TARGET_ARN: stack.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: cartCheckName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
      SCHEDULER_DLQ_ARN: this.schedulerDlq.queue.queueArn,
    };

    this.cartCheck = new ConnectorFunction(this, 'CartCheck', {
      entry: props.entry ?? lambdaEntry('cart-check'),
      functionName: cartCheckName,
      description:
        'Re-reads an abandoned cart when its schedule fires, emits the recovery event, reschedules',
      serviceName: 'cart-check',
      envSchema: CartCheckEnvSchema,
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        OUTBOX_QUEUE_URL: props.outbox.queueUrl,
        CART_CHECK_DLQ_URL: this.cartCheckDlq.queue.queueUrl,
        ...props.settings,
        ...this.schedulerEnvironment,
      },
    });
    // What DynamoCartStore sends for a check: GetItem (the cart), BatchGetItem (the person's order and consent
    // records), UpdateItem (pending step, emitted marks, exit); the step's exactly-once claim (DynamoDedupeStore)
    // adds PutItem (claim) and DeleteItem (release after a failed send).
    props.table.grant(this.cartCheck, ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem']);
    props.outbox.grantSendMessages(this.cartCheck);
    this.grantScheduling(this.cartCheck);
    // Scheduler invokes asynchronously: its retries cover failed invocations, Lambda's cover a failed check,
    // within the same 6 h the schedules allow. The destination also grants cart-check SendMessage on its DLQ.
    this.cartCheck.lambdaFunction.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: MAX_EVENT_AGE,
      onFailure: new SqsDestination(this.cartCheckDlq.queue),
    });

    this.cartCheck.lambdaFunction.grantInvokeLatestVersion(this.schedulerRole);
    this.schedulerDlq.queue.grantSendMessages(this.schedulerRole);
  }

  /**
   * Lets the function create and delete schedules in the group (the two Scheduler calls the code makes), and pass
   * the scheduler role, to EventBridge Scheduler only.
   */
  grantScheduling(fn: IGrantable & { readonly role: Role }): void {
    const stack = Stack.of(this);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.scheduleGroup.scheduleGroupName}/*`,
          }),
        ],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.scheduleGroup.scheduleGroupName}/*]`,
      reason:
        'Schedule names are per cart and made at runtime; the wildcard is limited to this one schedule group.',
    });
  }
}
