import {
  ActionAfterCompletion,
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { DependencyError } from '../errors.js';
import type { Counters } from '../ports/telemetry.js';
import {
  atExpression,
  checkInput,
  type RecoveryScheduler,
  type ScheduledCheck,
  scheduleClientToken,
  scheduleName,
} from './recovery-scheduler.js';

/** Where and how cart checks are scheduled in EventBridge Scheduler. */
export interface EventBridgeRecoverySchedulerOptions {
  readonly groupName: string;
  /** ARN of the cart-check Lambda. */
  readonly targetArn: string;
  /** Role the Scheduler assumes to invoke the target (the caller needs iam:PassRole on it). */
  readonly roleArn: string;
  /** Standard SQS queue for invocations that fail every retry (the Scheduler takes no FIFO DLQ). */
  readonly deadLetterArn: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

/**
 * RecoveryScheduler on EventBridge Scheduler: one one-time schedule per cart check, deleted after it fires. Every
 * failed CreateSchedule is counted (`ScheduleCreateFailed`): a cart whose check was never scheduled is silent.
 */
export class EventBridgeRecoveryScheduler implements RecoveryScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly options: EventBridgeRecoverySchedulerOptions,
    private readonly counters: Counters,
  ) {}

  async schedule(check: ScheduledCheck): Promise<void> {
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: scheduleName(check),
          GroupName: this.options.groupName,
          ScheduleExpression: atExpression(check.due_at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
          ActionAfterCompletion: ActionAfterCompletion.DELETE,
          ClientToken: scheduleClientToken(check, 'create'),
          Description: `cart recovery check, step ${check.step}`,
          Target: {
            Arn: this.options.targetArn,
            RoleArn: this.options.roleArn,
            Input: JSON.stringify(checkInput(check)),
            DeadLetterConfig: { Arn: this.options.deadLetterArn },
            RetryPolicy: {
              MaximumRetryAttempts: this.options.maximumRetryAttempts,
              MaximumEventAgeInSeconds: this.options.maximumEventAgeSeconds,
            },
          },
        }),
      );
    } catch (error) {
      // The same name exists: this check is already scheduled (a retried or concurrent create).
      if (error instanceof ConflictException) return;
      this.counters.count('ScheduleCreateFailed');
      throw new DependencyError('Scheduler CreateSchedule failed', 'scheduler', { cause: error });
    }
  }

  async cancel(check: ScheduledCheck): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({
          Name: scheduleName(check),
          GroupName: this.options.groupName,
          ClientToken: scheduleClientToken(check, 'delete'),
        }),
      );
    } catch (error) {
      // Already fired (and deleted after completion) or never created: nothing left to cancel.
      if (error instanceof ResourceNotFoundException) return;
      throw new DependencyError('Scheduler DeleteSchedule failed', 'scheduler', { cause: error });
    }
  }
}
