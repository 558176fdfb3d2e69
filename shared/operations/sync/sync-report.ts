import type { ApiCallStats } from '../../admin-api/http.js';
import type { FeedCounts } from '../../backfill/feeder.js';
import type { UnreadableRecord } from '../../backfill/source-record.js';

const n = (value: number): string => value.toLocaleString('en-US');

/** One progress line: what a stream read, queued and skipped as known so far, and the run's totals. */
export const progressLine = (stream: string, counts: FeedCounts, totals: FeedCounts): string =>
  `  ${stream.padEnd(23)} read ${n(counts.read)} · queued ${n(counts.queued)} · known ${n(counts.known)}` +
  `${counts.unreadable + counts.tooLarge > 0 ? ` · unreadable ${n(counts.unreadable + counts.tooLarge)}` : ''}` +
  `   (total read ${n(totals.read)}, queued ${n(totals.queued)})\n`;

/** The API cost of a run, per platform. */
export const apiLines = (api: Readonly<Record<string, ApiCallStats>>): string =>
  Object.entries(api)
    .map(
      ([platform, s]) =>
        `  ${platform.padEnd(9)} ${n(s.calls)} calls · ${n(s.throttled)} throttled (waited, never failed) · ` +
        `${n(s.retried)} retried · ${(s.waitedMs / 1000).toFixed(1)} s waiting\n`,
    )
    .join('');

/** The records that could not be read, by id and reason (never their content). */
export const unreadableLines = (unreadable: readonly UnreadableRecord[]): string =>
  unreadable.map((u) => `  ${u.source} ${u.resource}${u.id ? ` ${u.id}` : ''}: ${u.reason}\n`).join('');
