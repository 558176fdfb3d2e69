import * as z from 'zod';
import type { ApiCallStats } from '../admin-api/http.js';
import type { Clock } from '../ports/clock.js';
import { Checkpoint } from './checkpoint.js';
import { emptyCounts, type FeedCounts, type FeedDeps, feedRecords } from './feeder.js';
import { takeLease } from './lease.js';
import type { RunStateStore } from './run-state-store.js';
import type { UnreadableRecord } from './source-record.js';
import { canRead, openStream, type StreamName, type StreamSources } from './streams.js';

/**
 * What a backfill reads, in this order: people first, then what rolls up onto them. Reviews come before orders: the
 * rollup stage sends a review's rating to the reviewer's email with that email's (empty) order figures, and the
 * order rollups queued after it then land last in Customer.io (the inbox keeps no order, so this is likely, not
 * certain: docs/backfill.md, Limits).
 */
const BACKFILL_STREAMS: readonly StreamName[] = [
  'shopify-customers',
  'judgeme-reviews',
  'shopify-orders',
  'recharge-customers',
  'recharge-subscriptions',
];

/** What to backfill. */
export interface BackfillRequest {
  readonly shop: string;
  /** Everything updated at or after this time. */
  readonly since: Date;
  /** Send historical events too (flagged `backfill: true`); by default only person attributes and rollups. */
  readonly events: boolean;
  /** Shopify read mode: one bulk operation per resource (history) or paginated queries (small ranges). */
  readonly mode: 'bulk' | 'pages';
  /** Ignore an unfinished checkpoint and start over. */
  readonly restart?: boolean;
}

/** Progress after a batch, for the terminal. */
interface BackfillProgress {
  readonly stream: StreamName;
  readonly streamCounts: FeedCounts;
  readonly totals: FeedCounts;
}

/** What a backfill needs. */
export interface BackfillDeps {
  readonly sources: StreamSources;
  readonly feed: FeedDeps;
  readonly state: RunStateStore;
  readonly clock: Clock;
  /** Who runs it (host and process), shown to a second run that finds the lease taken. */
  readonly holder: string;
  /** @default 10 minutes: a crashed run's lease runs out this long after its last batch or poll */
  readonly leaseTtlMs?: number;
  readonly progress?: (progress: BackfillProgress) => void;
  /** A line the operator should read that is not progress (e.g. a lease left to run out). */
  readonly warn?: (message: string) => void;
}

/** How a backfill ended. */
export interface BackfillSummary {
  readonly resumed: boolean;
  readonly streams: Readonly<Partial<Record<StreamName, { status: StreamStatus; counts: FeedCounts }>>>;
  readonly totals: FeedCounts;
  /** API calls of this run, per platform. */
  readonly api: Readonly<Record<string, ApiCallStats>>;
  /** The first unreadable records (ids and reasons), for the operator. */
  readonly unreadable: readonly UnreadableRecord[];
}

type StreamStatus = 'pending' | 'done' | 'skipped';

const CountsSchema = z.object({
  read: z.number(),
  queued: z.number(),
  known: z.number(),
  outOfWindow: z.number(),
  unreadable: z.number(),
  tooLarge: z.number(),
});

const StateSchema = z.object({
  status: z.enum(['running', 'done']),
  streams: z.record(
    z.string(),
    z.object({
      status: z.enum(['pending', 'done', 'skipped']),
      position: z.unknown().optional(),
      counts: CountsSchema,
    }),
  ),
});
type BackfillState = z.infer<typeof StateSchema>;

/** Finished checkpoints are kept a month (a re-run within it sees what the last one did), then expire. */
const DONE_TTL_DAYS = 30;
const MAX_UNREADABLE_KEPT = 20;

/** The checkpoint of one backfill: per shop, start date and whether events are sent. */
const backfillCheckpointName = (request: BackfillRequest): string =>
  `backfill#${request.shop}#${request.since.toISOString()}#${request.events ? 'events' : 'attrs'}`;

const sum = (counts: readonly FeedCounts[]): FeedCounts =>
  counts.reduce(
    (total, c) => ({
      read: total.read + c.read,
      queued: total.queued + c.queued,
      known: total.known + c.known,
      outOfWindow: total.outOfWindow + c.outOfWindow,
      unreadable: total.unreadable + c.unreadable,
      tooLarge: total.tooLarge + c.tooLarge,
    }),
    emptyCounts(),
  );

const apiStats = (sources: StreamSources): Record<string, ApiCallStats> => ({
  ...(sources.shopify ? { shopify: sources.shopify.stats } : {}),
  ...(sources.recharge ? { recharge: sources.recharge.stats } : {}),
  ...(sources.judgeme ? { judgeme: sources.judgeme.stats } : {}),
});

/**
 * Backfills one shop: reads each stream through its platform's API and feeds every record into the inbox as a
 * backfill envelope (the deployed process worker does the rest, as for webhooks). One run per shop at a time (a
 * lease in the table); after every batch the position is saved (a conditional write), so a stopped run continues
 * where it was. Records already through the path are skipped as known.
 */
export const runBackfill = async (request: BackfillRequest, deps: BackfillDeps): Promise<BackfillSummary> => {
  const lease = await takeLease(
    deps.state,
    `backfill#${request.shop}`,
    deps.holder,
    deps.leaseTtlMs ?? 600_000,
    deps.clock,
  );
  try {
    const { checkpoint, stored } = await Checkpoint.open(
      deps.state,
      backfillCheckpointName(request),
      StateSchema,
      deps.clock,
    );
    const resumed = !request.restart && stored?.status === 'running';
    const state: BackfillState = resumed && stored ? stored : { status: 'running', streams: {} };
    const sources: StreamSources = { ...deps.sources, onPoll: () => lease.keep() };
    const policy = { origin: 'backfill', backfillEvents: request.events } as const;
    const unreadable: UnreadableRecord[] = [];
    for (const name of BACKFILL_STREAMS) {
      const entry = state.streams[name] ?? { status: 'pending', counts: emptyCounts() };
      state.streams[name] = entry;
      if (entry.status !== 'pending') continue;
      if (!canRead(name, sources)) {
        entry.status = 'skipped';
        continue;
      }
      const from = entry.position as Parameters<typeof openStream>[2]['from'];
      for await (const batch of openStream(name, sources, {
        since: request.since,
        mode: request.mode,
        ...(from ? { from } : {}),
      })) {
        const fed = await feedRecords(batch.records, request.shop, policy, deps.feed, entry.counts);
        entry.counts.unreadable += batch.unreadable.length;
        unreadable.push(
          ...[...batch.unreadable, ...fed.unreadable].slice(0, MAX_UNREADABLE_KEPT - unreadable.length),
        );
        entry.position = batch.next;
        await lease.keep();
        await checkpoint.save(state);
        // A bulk read first reports only its operation (kept for a resume): no records to show yet.
        if (batch.records.length + batch.unreadable.length === 0) continue;
        deps.progress?.({
          stream: name,
          streamCounts: entry.counts,
          totals: sum(Object.values(state.streams).map((s) => s.counts)),
        });
      }
      entry.status = 'done';
      await checkpoint.save(state);
    }
    state.status = 'done';
    await checkpoint.save(state, DONE_TTL_DAYS);
    return {
      resumed,
      streams: Object.fromEntries(
        Object.entries(state.streams).map(([name, s]) => [name, { status: s.status, counts: s.counts }]),
      ),
      totals: sum(Object.values(state.streams).map((s) => s.counts)),
      api: apiStats(deps.sources),
      unreadable,
    };
  } finally {
    if (!(await lease.release())) {
      deps.warn?.(
        `the shop's backfill lease could not be given back: another run can start in ${Math.round((deps.leaseTtlMs ?? 600_000) / 60_000)} minutes`,
      );
    }
  }
};
