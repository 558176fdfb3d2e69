import { MAX_PARKABLE_BODY_BYTES } from '../failures/dead-letter.js';
import { deliveryKeyOf, type WebhookEnvelope } from '../ingest/envelope.js';
import { encodeInboxMessage } from '../ingest/inbox-message.js';
import { parseJsonLossless } from '../json/lossless-json.js';
import type { NormalizerRegistry } from '../normalize/normalizer.js';
import { type StatedVersions, statedVersions } from '../people/stale-update-stage.js';
import type { Clock } from '../ports/clock.js';
import type { MessageQueue } from '../ports/message-queue.js';
import type { SeenRecords } from './dynamo-seen-records.js';
import type { SourceRecord, UnreadableRecord } from './source-record.js';

/** Who feeds, and what the process worker may send for it (shared/process/origin-policy.ts). */
export type FeedPolicy =
  | { readonly origin: 'backfill'; readonly backfillEvents: boolean }
  /** Reconciliation feeds only records that happened at or after `since` (older ones are history, not misses). */
  | { readonly origin: 'reconcile'; readonly since: Date };

/** What the feeder needs. */
export interface FeedDeps {
  readonly inbox: MessageQueue;
  readonly seen: SeenRecords;
  readonly normalizers: NormalizerRegistry;
  readonly clock: Clock;
  /** API version of the records' shape, written on the envelope as webhooks' is. */
  readonly apiVersion?: (record: SourceRecord) => string | undefined;
}

/** Running totals of a feed (printed as progress, kept in the checkpoint). */
export interface FeedCounts {
  read: number;
  queued: number;
  /** Already through the path: its webhook (or an earlier run) completed its business keys or this delivery. */
  known: number;
  /** Happened before the reconciliation window. */
  outOfWindow: number;
  unreadable: number;
  /** Too large for one queue message (SQS takes 1 MiB, less the room a worker needs to park it). */
  tooLarge: number;
}

/** Zero counts. */
export const emptyCounts = (): FeedCounts => ({
  read: 0,
  queued: 0,
  known: 0,
  outOfWindow: 0,
  unreadable: 0,
  tooLarge: 0,
});

/** Sends in flight at once: SQS answers in tens of milliseconds, one at a time would be the bottleneck. */
const SEND_CONCURRENCY = 10;

/** The delivery id of a fed record: stable per record, version, origin and (backfill) whether events are sent. */
const feedDeliveryId = (record: SourceRecord, policy: FeedPolicy): string => {
  const version = record.version ? `:${record.version}` : '';
  const tag =
    policy.origin === 'backfill' ? `backfill:${policy.backfillEvents ? 'events' : 'attrs'}` : 'reconcile';
  return `${tag}:${record.topic}:${record.id}${version}`;
};

/** The inbox envelope of a record, marked with its origin. */
const recordEnvelope = (
  record: SourceRecord,
  shop: string,
  policy: FeedPolicy,
  receivedAt: Date,
  apiVersion?: string,
): WebhookEnvelope => ({
  version: 1,
  source: record.source,
  topic: record.topic,
  shop,
  deliveryId: feedDeliveryId(record, policy),
  ...(apiVersion ? { apiVersion } : {}),
  receivedAt: receivedAt.toISOString(),
  // Read from the platform's own API with the shop's credentials: as trustworthy as a signed webhook.
  signed: true,
  body: JSON.stringify(record.body),
  origin: policy.origin,
  ...(policy.origin === 'backfill' ? { backfillEvents: policy.backfillEvents } : {}),
});

/** What a record's delivery states, as the table records it once the path has seen it. */
interface Statements {
  /** The business keys of its events (owned by the delivery that sends them). */
  readonly keys: readonly string[];
  /** Without events: the attribute times of its person updates (identifies claim no key). */
  readonly stated: readonly StatedVersions[];
}

/**
 * What a record's delivery states, found by running the very normalizer the process worker will run. Nothing when
 * the normalizer refuses or ignores it: the process worker then answers for it (a refused payload parks in the
 * inbox DLQ with its reason).
 */
const statementsOf = (envelope: WebhookEnvelope, normalizers: NormalizerRegistry): Statements => {
  const none = { keys: [], stated: [] };
  const topics = Object.hasOwn(normalizers, envelope.source) ? normalizers[envelope.source] : undefined;
  const normalizer = topics && Object.hasOwn(topics, envelope.topic) ? topics[envelope.topic] : undefined;
  if (!normalizer) return none;
  try {
    const result = normalizer(parseJsonLossless(envelope.body), envelope);
    if (result.kind !== 'normalized') return none;
    const keys = result.events.map((e) => e.dedupe_key);
    return keys.length > 0 ? { keys, stated: [] } : { keys, stated: statedVersions(result) };
  } catch {
    return none;
  }
};

/** Runs `work` over `items` with at most `limit` in flight. */
const inParallel = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) => {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  });
  await Promise.all(lanes);
};

/** What one batch fed. */
export interface FeedResult {
  /** Records queued (reconciliation counts them as found missing, by topic). */
  readonly queued: readonly SourceRecord[];
  readonly unreadable: readonly UnreadableRecord[];
}

/**
 * Feeds a batch of records into the inbox as envelopes marked with their origin, skipping every record already
 * known: its own delivery completed (an earlier run), all its events' business keys done (its webhook, or another
 * source's, went through the path), every attribute time it states recorded already (a record with no event: a
 * customer), or the item it leaves behind exists (a checkout's cart). Whatever is queued is processed by the process worker exactly like a webhook;
 * its claims make a record fed twice, or racing its live webhook, change nothing twice.
 */
export const feedRecords = async (
  records: readonly SourceRecord[],
  shop: string,
  policy: FeedPolicy,
  deps: FeedDeps,
  counts: FeedCounts,
): Promise<FeedResult> => {
  counts.read += records.length;
  const now = deps.clock();
  const inWindow = records.filter(
    (record) => policy.origin !== 'reconcile' || record.occurredAt >= policy.since.toISOString(),
  );
  counts.outOfWindow += records.length - inWindow.length;
  const candidates = inWindow.map((record) => {
    const envelope = recordEnvelope(record, shop, policy, now, deps.apiVersion?.(record));
    return {
      record,
      envelope,
      delivery: deliveryKeyOf(envelope),
      ...statementsOf(envelope, deps.normalizers),
    };
  });
  const done = await deps.seen.completed(
    candidates.flatMap((c) => [c.delivery, ...c.keys]),
    now,
  );
  const present = await deps.seen.present(
    candidates.flatMap((c) => (c.record.seenAs ? [c.record.seenAs] : [])),
  );
  const recorded = await deps.seen.recordedTimes(candidates.flatMap((c) => c.stated.map((p) => p.key)));
  /** Every attribute time the update states is recorded already (the same time, or a newer update's). */
  const covered = ({ key, versions }: StatedVersions): boolean =>
    Object.entries(versions).every(([name, at]) => (recorded.get(key)?.[name] ?? -Infinity) >= at);
  const fresh = candidates.filter(
    (c) =>
      !done.has(c.delivery) &&
      !(c.keys.length > 0 && c.keys.every((key) => done.has(key))) &&
      !(c.stated.length > 0 && c.stated.every(covered)) &&
      !(c.record.seenAs && present.has(c.record.seenAs.pk)),
  );
  counts.known += candidates.length - fresh.length;
  const queued: SourceRecord[] = [];
  const unreadable: UnreadableRecord[] = [];
  await inParallel(fresh, SEND_CONCURRENCY, async ({ record, envelope }) => {
    // The ingest's encoding (body embedded, SQS-safe), with room left for a worker to park it with its reason.
    const body = encodeInboxMessage(envelope);
    if (Buffer.byteLength(body) > MAX_PARKABLE_BODY_BYTES) {
      counts.tooLarge += 1;
      unreadable.push({
        source: record.source,
        resource: record.topic,
        id: record.id,
        reason: 'larger than one SQS message (1 MiB)',
      });
      return;
    }
    await deps.inbox.send({ body });
    counts.queued += 1;
    queued.push(record);
  });
  return { queued, unreadable };
};
