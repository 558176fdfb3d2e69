import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { cartRecoveryStages } from '../cart/wire-cart-recovery.js';
import type { ProcessEnv } from '../config/env.js';
import { DynamoIdentityStore, IDENTITY_RETENTION } from '../identity/dynamo-identity-store.js';
import { identityConfig } from '../identity/identifiers.js';
import { identityStage } from '../identity/identity-stage.js';
import { acquisitionStage } from '../people/acquisition-stage.js';
import { DynamoAcquisitionStore } from '../people/acquisition-store.js';
import { DynamoPersonVersionStore } from '../people/person-version-store.js';
import { rollupStage } from '../people/rollup-stage.js';
import { DynamoRollupStore } from '../people/rollup-store.js';
import { staleUpdateStage } from '../people/stale-update-stage.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { concurrentStages } from '../process/concurrent-stages.js';
import type { ProcessStage } from '../process/process-stage.js';
import { schedulerClient } from './aws-clients.js';

/** Clients and services the process stages are built from (created once per container by wireProcess). */
export interface StageContext {
  readonly env: ProcessEnv;
  readonly dynamo: DynamoDBClient;
  /** The Scheduler client, created only when cart recovery runs on EventBridge Scheduler (default: from env). */
  readonly scheduler?: () => SchedulerClient;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/**
 * The process stages of a deployment, in the order they run. Person-attribute ordering, then identity (every later
 * stage keys its items on the people identity resolves); then first touch, rollups and cart recovery at once: each
 * writes its own items and reads only what identity produced.
 */
export const buildProcessStages = (context: StageContext): ProcessStage[] => {
  const identity = identityConfig(context.env.IDENTIFIER_STRATEGY, context.env.SHOPS);
  return [
    staleUpdateStage(new DynamoPersonVersionStore(context.dynamo, context.env.TABLE_NAME), context.telemetry),
    identityStage(
      new DynamoIdentityStore(
        context.dynamo,
        {
          tableName: context.env.TABLE_NAME,
          ...IDENTITY_RETENTION,
          maxAnonymousIdsPerToken: context.env.MAX_ANONYMOUS_IDS_PER_TOKEN,
        },
        context.clock,
      ),
      context.telemetry,
      { maxMergesPerDelivery: context.env.MAX_MERGES_PER_DELIVERY },
    ),
    concurrentStages([
      acquisitionStage({
        store: new DynamoAcquisitionStore(context.dynamo, context.env.TABLE_NAME),
        identity,
        telemetry: context.telemetry,
      }),
      rollupStage({
        store: new DynamoRollupStore(context.dynamo, context.env.TABLE_NAME),
        identity,
        clock: context.clock,
        telemetry: context.telemetry,
        includeTestOrders: context.env.ROLLUPS_INCLUDE_TEST_ORDERS,
      }),
      ...cartRecoveryStages({
        ...context,
        scheduler: context.scheduler ?? (() => schedulerClient(context.env)),
      }),
    ]),
  ];
};
