import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { ProcessEnv } from '../config/env.js';
import { DynamoDeliveryOrderStore } from '../delivery/delivery-order-store.js';
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
import { cartRecoveryStages } from './cart-recovery-stages.js';

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
  const deliveryOrder = new DynamoDeliveryOrderStore(context.dynamo, context.env.TABLE_NAME, context.clock);
  // One identity store: the identity stage writes the graph, the rollup stage reads who owns a review's email.
  const identityStore = new DynamoIdentityStore(
    context.dynamo,
    {
      tableName: context.env.TABLE_NAME,
      ...IDENTITY_RETENTION,
      maxAnonymousIdsPerToken: context.env.MAX_ANONYMOUS_IDS_PER_TOKEN,
    },
    context.clock,
  );
  return [
    staleUpdateStage(new DynamoPersonVersionStore(context.dynamo, context.env.TABLE_NAME), context.telemetry),
    identityStage(identityStore, context.telemetry, {
      maxMergesPerDelivery: context.env.MAX_MERGES_PER_DELIVERY,
    }),
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
        // A key that now redirects to a person's rollup: its older identifies must not be delivered after the
        // person's.
        moved: async (key, version) => {
          await deliveryOrder.claim({ kind: 'rollup', key }, { rollup: version });
        },
        forgotten: async (keys) => {
          for (const key of keys) await deliveryOrder.forget({ kind: 'rollup', key });
        },
        personOf: async (shop, kind, value) =>
          (await identityStore.read(shop, kind, kind === 'email' ? value.trim().toLowerCase() : value))
            .person,
      }),
      ...cartRecoveryStages({
        ...context,
        scheduler: context.scheduler ?? (() => schedulerClient(context.env)),
      }),
    ]),
  ];
};
