import { SqsMessageQueue, UnconfiguredQueue } from '../adapters/sqs-message-queue.js';
import { type CartCheckOutcome, checkCart } from '../cart/check-cart.js';
import { DynamoCartStore } from '../cart/dynamo-cart-store.js';
import { CartCheckInputSchema } from '../cart/recovery-scheduler.js';
import type { CartCheckEnv } from '../config/env.js';
import { DynamoDedupeStore } from '../dedupe/dynamo-dedupe-store.js';
import { guardInvocation, type ParkedInvocation } from '../failures/invocation-guard.js';
import { identityConfig } from '../identity/identifiers.js';
import { systemClock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { type AwsClients, lazyDynamo, lazyScheduler, lazySqs } from './aws-clients.js';
import { cartRecoveryConfig, requireRecoveryScheduler } from './cart-recovery-stages.js';
import { activityRecorderFor } from './wire-activity.js';

/** Builds the cart check from a validated environment; clients are created once, here. */
export const wireCartCheck = (
  env: CartCheckEnv,
  telemetry: Telemetry,
  clients: Pick<AwsClients, 'dynamo' | 'sqs' | 'scheduler'> = {
    dynamo: lazyDynamo(env),
    sqs: lazySqs(env),
    scheduler: lazyScheduler(env),
  },
): ((event: unknown) => Promise<CartCheckOutcome | ParkedInvocation>) => {
  const sqs = clients.sqs();
  const dynamo = clients.dynamo();
  const deps = {
    store: new DynamoCartStore(dynamo, {
      tableName: env.TABLE_NAME,
      retentionDays: env.CART_RETENTION_DAYS,
    }),
    dedupe: new DynamoDedupeStore(dynamo, {
      tableName: env.TABLE_NAME,
      leaseSeconds: env.DEDUPE_LEASE_SECONDS,
      retentionDays: env.DEDUPE_RETENTION_DAYS,
    }),
    scheduler: requireRecoveryScheduler(env, telemetry.counters, clients.scheduler),
    outbox: new SqsMessageQueue(sqs, env.OUTBOX_QUEUE_URL),
    config: cartRecoveryConfig(env),
    identity: identityConfig(env.IDENTIFIER_STRATEGY, env.SHOPS),
    clock: systemClock,
    telemetry,
  };
  const guard = {
    origin: 'cart-check' as const,
    deadLetters: env.CART_CHECK_DLQ_URL
      ? new SqsMessageQueue(sqs, env.CART_CHECK_DLQ_URL)
      : new UnconfiguredQueue('CART_CHECK_DLQ_URL'),
    failedMetric: 'CartCheckFailed',
    clock: systemClock,
    telemetry,
  };
  const activity = activityRecorderFor(env, () => dynamo, telemetry);
  return async (event) => {
    const outcome = await guardInvocation(
      event,
      () => checkCart(CartCheckInputSchema.parse(event), deps),
      guard,
    );
    const input = CartCheckInputSchema.safeParse(event);
    if (activity && input.success) await activity.cartChecked(input.data, outcome);
    return outcome;
  };
};
