import * as z from 'zod';
import type { ApiCallStats } from '../admin-api/http.js';
import { Checkpoint } from '../backfill/checkpoint.js';
import { emptyCounts, type FeedCounts, type FeedDeps, feedRecords } from '../backfill/feeder.js';
import { LeaseBusyError, takeLease } from '../backfill/lease.js';
import type { RunStateStore } from '../backfill/run-state-store.js';
import type { UnreadableRecord } from '../backfill/source-record.js';
import { canRead, openStream, type StreamName, type StreamSources } from '../backfill/streams.js';
import type { Clock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import {
  checkRechargeWebhooks,
  checkShopifySubscriptions,
  type WebhookCheckMode,
  type WebhookCheckResult,
} from './webhook-check.js';

/** What reconciliation reads each run: what changed since the watermark. */
const RECONCILE_STREAMS: readonly StreamName[] = [
  'shopify-customers',
  'shopify-orders',
  'shopify-checkouts',
  'recharge-subscriptions',
  'recharge-charges',
];

/** How one platform's webhook subscriptions are checked. */
interface WebhookCheckSetting {
  readonly mode: WebhookCheckMode;
  /** The connector's webhook URL for the platform (`…/webhooks/shopify`). */
  readonly url?: string;
}

/** One reconciliation of one shop. */
export interface ReconcileRequest {
  readonly shop: string;
  /** Read back this far before the watermark: a record updated just before the last run may have been in flight. */
  readonly overlapMinutes: number;
  /** A shop's first run (no watermark yet) looks back this far. */
  readonly initialLookbackMinutes: number;
  readonly webhooks: { readonly shopify: WebhookCheckSetting; readonly recharge: WebhookCheckSetting };
}

/** What reconciliation needs. */
export interface ReconcileDeps {
  readonly sources: StreamSources;
  readonly feed: FeedDeps;
  readonly state: RunStateStore;
  readonly clock: Clock;
  readonly holder: string;
  readonly telemetry: Telemetry;
  /** @default 15 minutes */
  readonly leaseTtlMs?: number;
}

/** How a reconciliation went. */
export interface ReconcileSummary {
  readonly skipped?: 'lease_held';
  readonly since?: string;
  readonly until?: string;
  /** Records found missing (never through the path) and fed, by topic. */
  readonly missing: Readonly<Record<string, number>>;
  readonly counts: FeedCounts;
  readonly webhooks: Readonly<
    Partial<Record<'shopify' | 'recharge', WebhookCheckResult | { failure: string }>>
  >;
  readonly api: Readonly<Record<string, ApiCallStats>>;
  readonly unreadable: readonly UnreadableRecord[];
}

const WatermarkSchema = z.object({ watermark: z.iso.datetime() });

/** Every topic reconciliation feeds records of (each has its `ReconciledMissing_<topic>` counter). */
export const RECONCILED_TOPICS = [
  'orders/create',
  'orders/cancelled',
  'orders/fulfilled',
  'refunds/create',
  'customers/update',
  'checkouts/update',
  'subscription/created',
  'subscription/cancelled',
  'charge/paid',
] as const;

/** The metric suffix of a topic (`orders/create` → `orders_create`): topics come from a fixed list. */
export const topicMetric = (topic: string): string => topic.replace(/[^A-Za-z0-9]/g, '_');

const MINUTE = 60_000;

const checkWebhooks = async (
  request: ReconcileRequest,
  sources: StreamSources,
  telemetry: Telemetry,
): Promise<ReconcileSummary['webhooks']> => {
  const results: Partial<Record<'shopify' | 'recharge', WebhookCheckResult | { failure: string }>> = {};
  const checks = [
    ['shopify', request.webhooks.shopify, sources.shopify] as const,
    ['recharge', request.webhooks.recharge, sources.recharge] as const,
  ];
  for (const [platform, setting, client] of checks) {
    if (setting.mode === 'off' || !setting.url || !client) continue;
    try {
      const result =
        platform === 'shopify' && sources.shopify
          ? await checkShopifySubscriptions(sources.shopify, setting.url, setting.mode)
          : sources.recharge
            ? await checkRechargeWebhooks(sources.recharge, setting.url, setting.mode)
            : undefined;
      if (!result) continue;
      results[platform] = result;
      if (result.recreated.length > 0)
        telemetry.counters.count(`WebhookSubscriptionRecreated_${platform}`, result.recreated.length);
      if (result.missing.length > 0) {
        telemetry.counters.count(`WebhookSubscriptionMissing_${platform}`, result.missing.length);
        telemetry.log.warn('webhook subscriptions missing', {
          platform,
          topics: result.missing.join(','),
          ...(result.failure ? { reason: result.failure } : {}),
        });
      }
    } catch (error) {
      const failure = error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
      results[platform] = { failure };
      telemetry.counters.count(`WebhookCheckFailed_${platform}`);
      telemetry.log.warn('webhook subscription check failed', { platform, reason: failure });
    }
  }
  return results;
};

/**
 * Reconciles one shop: pulls what changed since the watermark (with an overlap), feeds every record that never
 * went through the path (no completed delivery or business key, no cart) as a `reconcile` envelope, counts each as
 * `ReconciledMissing_<topic>`, checks the webhook subscriptions, then moves the watermark to when this run
 * started (a conditional write). One run per shop at a time: a run that finds the lease taken does nothing.
 * A failed run leaves the watermark where it was, so the next run covers the same window again.
 */
export const runReconcile = async (
  request: ReconcileRequest,
  deps: ReconcileDeps,
): Promise<ReconcileSummary> => {
  const { counters, log } = deps.telemetry;
  const counts = emptyCounts();
  let lease: Awaited<ReturnType<typeof takeLease>>;
  try {
    lease = await takeLease(
      deps.state,
      `reconcile#${request.shop}`,
      deps.holder,
      deps.leaseTtlMs ?? 15 * MINUTE,
      deps.clock,
    );
  } catch (error) {
    if (!(error instanceof LeaseBusyError)) throw error;
    counters.count('ReconcileSkipped');
    log.info('reconciliation already running for the shop; skipped', { until: error.until.toISOString() });
    return { skipped: 'lease_held', missing: {}, counts, webhooks: {}, api: {}, unreadable: [] };
  }
  try {
    const { checkpoint, stored } = await Checkpoint.open(
      deps.state,
      `reconcile#${request.shop}`,
      WatermarkSchema,
      deps.clock,
    );
    const until = deps.clock();
    const from = stored
      ? Date.parse(stored.watermark)
      : until.getTime() - request.initialLookbackMinutes * MINUTE;
    const since = new Date(from - request.overlapMinutes * MINUTE);
    const missing: Record<string, number> = {};
    const unreadable: UnreadableRecord[] = [];
    for (const name of RECONCILE_STREAMS) {
      if (!canRead(name, deps.sources)) continue;
      for await (const batch of openStream(name, deps.sources, { since, mode: 'pages' })) {
        const fed = await feedRecords(
          batch.records,
          request.shop,
          { origin: 'reconcile', since },
          deps.feed,
          counts,
        );
        counts.unreadable += batch.unreadable.length;
        unreadable.push(...batch.unreadable, ...fed.unreadable);
        for (const record of fed.queued) {
          missing[record.topic] = (missing[record.topic] ?? 0) + 1;
          counters.count(`ReconciledMissing_${topicMetric(record.topic)}`);
        }
        await lease.keep();
      }
    }
    for (const [topic, count] of Object.entries(missing)) {
      log.warn('records found missing and fed', { topic, count });
    }
    const webhooks = await checkWebhooks(request, deps.sources, deps.telemetry);
    await checkpoint.save({ watermark: until.toISOString() });
    counters.count('ReconcileCompleted');
    return {
      since: since.toISOString(),
      until: until.toISOString(),
      missing,
      counts,
      webhooks,
      api: {
        ...(deps.sources.shopify ? { shopify: deps.sources.shopify.stats } : {}),
        ...(deps.sources.recharge ? { recharge: deps.sources.recharge.stats } : {}),
      },
      unreadable: unreadable.slice(0, 20),
    };
  } finally {
    if (!(await lease.release())) {
      deps.telemetry.counters.count('LeaseReleaseFailed');
      deps.telemetry.log.warn("the shop's reconcile lease could not be given back; it runs out by itself", {
        shop: request.shop,
      });
    }
  }
};
