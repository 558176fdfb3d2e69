import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { type CartRecoveryConfig, parseStepsMinutes } from '../cart/cart-recovery-config.js';
import { CartRecoveryStage } from '../cart/cart-recovery-stage.js';
import { DynamoCartStore } from '../cart/dynamo-cart-store.js';
import { EventBridgeRecoveryScheduler } from '../cart/eventbridge-recovery-scheduler.js';
import { FileRecoveryScheduler } from '../cart/file-recovery-scheduler.js';
import type { RecoveryScheduler } from '../cart/recovery-scheduler.js';
import type { CartCheckEnv, ProcessEnv } from '../config/env.js';
import { ConfigurationError } from '../errors.js';
import type { Counters } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import type { StageContext } from './process-stages.js';

/**
 * Cart-recovery wiring of the composition root: the scheduler, store and stage the process and cart-check Lambdas
 * build from their validated environment. It lives here, not in shared/cart/, because it builds AWS adapters from
 * the root's clients (a concern never imports shared/runtime/).
 */

/** The cart-recovery variables both Lambdas read. */
export type CartRecoveryEnv = ProcessEnv | CartCheckEnv;

/** Step delays and scheduling lead from the environment. */
export const cartRecoveryConfig = (env: CartRecoveryEnv): CartRecoveryConfig => ({
  stepsMinutes: parseStepsMinutes(env.CART_RECOVERY_STEPS_MINUTES),
  minLeadMs: env.CART_RECOVERY_MIN_LEAD_SECONDS * 1000,
});

/**
 * The RecoveryScheduler the environment asks for: EventBridge Scheduler in AWS, the JSON-file scheduler the local
 * stack fires. Undefined when cart recovery is not configured.
 */
const recoverySchedulerFromEnv = (
  env: CartRecoveryEnv,
  counters: Counters,
  client: () => SchedulerClient,
): RecoveryScheduler | undefined => {
  if (env.SCHEDULER_MODE === 'local') {
    return env.LOCAL_SCHEDULER_FILE ? new FileRecoveryScheduler(env.LOCAL_SCHEDULER_FILE) : undefined;
  }
  const { SCHEDULE_GROUP_NAME, CART_CHECK_TARGET_ARN, SCHEDULER_ROLE_ARN, SCHEDULER_DLQ_ARN } = env;
  if (!SCHEDULE_GROUP_NAME || !CART_CHECK_TARGET_ARN || !SCHEDULER_ROLE_ARN || !SCHEDULER_DLQ_ARN)
    return undefined;
  return new EventBridgeRecoveryScheduler(
    client(),
    {
      groupName: SCHEDULE_GROUP_NAME,
      targetArn: CART_CHECK_TARGET_ARN,
      roleArn: SCHEDULER_ROLE_ARN,
      deadLetterArn: SCHEDULER_DLQ_ARN,
      maximumRetryAttempts: env.SCHEDULER_MAX_RETRY_ATTEMPTS,
      maximumEventAgeSeconds: env.SCHEDULER_MAX_EVENT_AGE_SECONDS,
    },
    counters,
  );
};

/** Like {@link recoverySchedulerFromEnv}, for a Lambda that cannot work without one. */
export const requireRecoveryScheduler = (
  env: CartRecoveryEnv,
  counters: Counters,
  client: () => SchedulerClient,
): RecoveryScheduler => {
  const scheduler = recoverySchedulerFromEnv(env, counters, client);
  if (!scheduler) {
    throw new ConfigurationError(
      'cart recovery needs SCHEDULE_GROUP_NAME, CART_CHECK_TARGET_ARN, SCHEDULER_ROLE_ARN and SCHEDULER_DLQ_ARN ' +
        '(or SCHEDULER_MODE=local with LOCAL_SCHEDULER_FILE)',
    );
  }
  return scheduler;
};

/** The cart-recovery stage of the process Lambda, or none when the deployment has no scheduler configured. */
export const cartRecoveryStages = (
  context: StageContext & { readonly scheduler: () => SchedulerClient },
): ProcessStage[] => {
  const scheduler = recoverySchedulerFromEnv(context.env, context.telemetry.counters, context.scheduler);
  if (!scheduler) return [];
  const store = new DynamoCartStore(context.dynamo, {
    tableName: context.env.TABLE_NAME,
    retentionDays: context.env.CART_RETENTION_DAYS,
  });
  return [
    new CartRecoveryStage({
      store,
      scheduler,
      config: cartRecoveryConfig(context.env),
      clock: context.clock,
      telemetry: context.telemetry,
    }),
  ];
};
