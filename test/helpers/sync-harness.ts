import { hostname } from 'node:os';
import { type FakeShop, startFakeShop } from '../../local/fake-shop/fake-shop-server.js';
import { LOCAL_DEFAULTS } from '../../local/local-config.js';
import { type LocalStack, startLocalStack } from '../../local/local-stack.js';
import { SqsMessageQueue } from '../../shared/adapters/sqs-message-queue.js';
import type { Fetch } from '../../shared/admin-api/http.js';
import {
  type BackfillRequest,
  type BackfillSummary,
  runBackfill,
} from '../../shared/backfill/backfill-run.js';
import type { RunStateStore } from '../../shared/backfill/run-state-store.js';
import { AdminSecretsSchema, adminSecretsFor } from '../../shared/config/admin-secrets.js';
import { systemClock } from '../../shared/ports/clock.js';
import { silentLog, type Telemetry } from '../../shared/ports/telemetry.js';
import {
  type ReconcileRequest,
  type ReconcileSummary,
  runReconcile,
} from '../../shared/reconcile/reconcile-run.js';
import { wireSync } from '../../shared/runtime/wire-sync.js';
import { testTelemetry } from './fakes.js';

/** The local stack and a fake shop for its shop, wired like the backfill and reconcile commands wire them. */
export interface SyncHarness {
  readonly stack: LocalStack;
  readonly fake: FakeShop;
  readonly shop: string;
  /** Runs a backfill with fresh API clients (their call counts are this run's). */
  backfill(request: Omit<BackfillRequest, 'shop'>, options?: BackfillOptions): Promise<BackfillSummary>;
  reconcile(request?: Partial<ReconcileRequest>, telemetry?: Telemetry): Promise<ReconcileSummary>;
  stop(): Promise<void>;
}

/** Test hooks of one backfill run. */
interface BackfillOptions {
  /** Wraps the run-state store (e.g. a crashed process never releases its lease). */
  readonly state?: (store: RunStateStore) => RunStateStore;
  readonly leaseTtlMs?: number;
  /** Wraps the HTTP calls to the fake shop (e.g. the process dies during a call). */
  readonly fetch?: (real: Fetch) => Fetch;
}

/** Short real waits: the fake shop's bucket is large, so only bulk polls and backoffs wait. */
const briefSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20)));

/** Starts the local stack (in memory) and a fake shop serving its shop's Admin APIs on 127.0.0.1. */
export const startSyncHarness = async (): Promise<SyncHarness> => {
  const stack = await startLocalStack({
    apiPort: 0,
    visibilityTimeoutSeconds: 1,
    retry: { maxAttempts: 3, baseSeconds: 1, maxSeconds: 1 },
    log: silentLog,
  });
  const shop = LOCAL_DEFAULTS.shop;
  const fake = await startFakeShop({
    shop,
    bucket: { maximumAvailable: 10_000, restoreRate: 1_000 },
    bulkPolls: 1,
  });
  const secrets = adminSecretsFor(AdminSecretsSchema.parse(fake.adminSecrets), shop);
  if (!secrets) throw new Error('the fake shop has no secrets for its shop');
  const realFetch: Fetch = (url, init) => fetch(url, init);
  const wire = (fetchOverride?: Fetch) =>
    wireSync({
      ...(fetchOverride ? { fetch: fetchOverride } : {}),
      shop,
      secrets,
      shopifyApiVersion: '2026-07',
      rechargeApiVersion: '2021-11',
      urls: { shopify: fake.url, recharge: fake.rechargeUrl, judgeme: fake.judgemeUrl },
      inbox: new SqsMessageQueue(stack.sqs, stack.queues.inbox.url),
      dynamo: stack.dynamo,
      tableName: stack.tableName,
      clock: systemClock,
      sleep: briefSleep,
    });
  return {
    stack,
    fake,
    shop,
    backfill: (request, options = {}) => {
      const wired = wire(options.fetch?.(realFetch));
      return runBackfill(
        { ...request, shop },
        {
          ...wired,
          state: options.state ? options.state(wired.state) : wired.state,
          clock: systemClock,
          holder: `${hostname()}#${process.pid}`,
          ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
        },
      );
    },
    reconcile: (request = {}, telemetry = testTelemetry()) => {
      const wired = wire();
      return runReconcile(
        {
          shop,
          overlapMinutes: 10,
          initialLookbackMinutes: 60 * 24 * 365 * 3,
          webhooks: { shopify: { mode: 'off' }, recharge: { mode: 'off' } },
          ...request,
        },
        { ...wired, clock: systemClock, holder: 'test', telemetry },
      );
    },
    stop: async () => {
      await fake.stop();
      await stack.stop();
    },
  };
};
