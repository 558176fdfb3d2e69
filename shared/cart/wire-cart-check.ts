import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import type { CartCheckEnv } from '../config/env.js';
import { DynamoDedupeStore } from '../dedupe/dynamo-dedupe-store.js';
import { systemClock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { dynamoClient, sqsClient } from '../runtime/aws-clients.js';
import { type CartCheckOutcome, checkCart } from './check-cart.js';
import { DynamoCartStore } from './dynamo-cart-store.js';
import type { CartCheckInput } from './recovery-scheduler.js';
import { cartRecoveryConfig, requireRecoveryScheduler } from './wire-cart-recovery.js';

/** Builds the cart check from a validated environment; clients are created once, here. */
export const wireCartCheck = (
  env: CartCheckEnv,
  telemetry: Telemetry,
): ((input: CartCheckInput) => Promise<CartCheckOutcome>) => {
  const dynamo = dynamoClient(env);
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
    scheduler: requireRecoveryScheduler(env),
    outbox: new SqsMessageQueue(sqsClient(env), env.OUTBOX_QUEUE_URL),
    config: cartRecoveryConfig(env),
    identity: { strategy: env.IDENTIFIER_STRATEGY, customerIdPrefix: env.CUSTOMER_ID_PREFIX },
    clock: systemClock,
    telemetry,
  };
  return (input) => checkCart(input, deps);
};
