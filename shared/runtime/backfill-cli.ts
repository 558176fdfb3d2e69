import { runBackfill } from '../backfill/backfill-run.js';
import { LeaseBusyError } from '../backfill/lease.js';
import { parseOptions, TARGET_OPTIONS, UsageError } from '../operations/cli-args.js';
import { TargetError } from '../operations/ops-target.js';
import { apiLines, progressLine, unreadableLines } from '../operations/sync/sync-report.js';
import { API_VERSION_OPTIONS, openShopSync, parseShop, type SyncIo } from './sync-cli-kit.js';

const OPTIONS = {
  shop: { type: 'string', value: '<domain>', help: 'the shop, <name>.myshopify.com' },
  since: { type: 'string', value: '<date>', help: 'read what was updated since (YYYY-MM-DD or ISO 8601)' },
  events: {
    type: 'boolean',
    help: 'also send historical events, flagged backfill: true (default: people and rollups only)',
  },
  mode: {
    type: 'string',
    value: '<auto|bulk|pages>',
    help: 'Shopify reads: bulk operations (history) or pages (small ranges); auto: pages for 3 days or less',
  },
  restart: { type: 'boolean', help: 'ignore an unfinished checkpoint of the same backfill and start over' },
  ...API_VERSION_OPTIONS,
  ...TARGET_OPTIONS,
} as const;

const HELP = `usage: npm run backfill -- --shop <domain> --since <date> [--events] [--stack <name> | --local-data <dir>]

Reads a shop's history through the platforms' APIs (Shopify customers with consent and orders, Recharge customers
and subscriptions, Judge.me reviews) and queues every record into the connector's inbox, marked as a backfill: the
process worker sends person attributes and rollups, and events only with --events. Records already through the
path are skipped as known; a stopped backfill continues where it was. docs/backfill.md.

options:
${Object.entries(OPTIONS)
  .map(([name, spec]) => `  --${name}${'value' in spec ? ` ${spec.value}` : ''}`.padEnd(34) + spec.help)
  .join('\n')}
`;

const DAY = 86_400_000;

/** A date option: `2025-01-01` (midnight UTC) or a full ISO 8601 time, not in the future. */
const parseSince = (value: string | undefined, now: Date): Date => {
  if (!value) throw new UsageError('--since <date> is required (e.g. --since 2024-01-01)');
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new UsageError(`--since "${value}" is not a date (YYYY-MM-DD or ISO 8601)`);
  if (time > now.getTime()) throw new UsageError(`--since ${value} is in the future`);
  return new Date(time);
};

/** `npm run backfill`: returns the exit code (0 done, 1 failed, 2 wrong usage). */
export const runBackfillCli = async (argv: readonly string[], io: SyncIo): Promise<number> => {
  let values: ReturnType<typeof parseOptions<typeof OPTIONS>>;
  try {
    values = parseOptions('backfill', OPTIONS, argv);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const shop = parseShop(values.shop);
    const since = parseSince(values.since, io.now());
    const mode = values.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'bulk' && mode !== 'pages') {
      throw new UsageError(`--mode ${mode}: one of auto, bulk, pages`);
    }
    const readMode =
      mode === 'auto' ? (io.now().getTime() - since.getTime() <= 3 * DAY ? 'pages' : 'bulk') : mode;
    const { target, secrets, wired } = await openShopSync(io, shop, values);
    try {
      io.out(
        `backfill ${shop} since ${since.toISOString()} → ${target.label}\n` +
          `  reads: ${['shopify', 'recharge', 'judgeme'].filter((p) => p in secrets).join(', ')} (Shopify ${readMode})` +
          ` · sends: ${values.events ? 'people, rollups and historical events (backfill: true)' : 'people and rollups, no events'}\n`,
      );
      const summary = await runBackfill(
        { shop, since, events: values.events ?? false, mode: readMode, restart: values.restart ?? false },
        {
          ...wired,
          clock: io.now,
          holder: io.holder,
          progress: (p) => io.out(progressLine(p.stream, p.streamCounts, p.totals)),
          warn: (message) => io.err(`${message}\n`),
        },
      );
      const t = summary.totals;
      io.out(
        `${summary.resumed ? 'resumed and ' : ''}done: read ${t.read}, queued ${t.queued}, known ${t.known}` +
          `${t.unreadable + t.tooLarge > 0 ? `, unreadable ${t.unreadable + t.tooLarge}` : ''}\n` +
          `API calls this run:\n${apiLines(summary.api)}` +
          (summary.unreadable.length > 0
            ? `unreadable records:\n${unreadableLines(summary.unreadable)}`
            : '') +
          'The process worker is working through the queued records now (npm run ops -- stats shows the queues).\n',
      );
      return t.unreadable + t.tooLarge > 0 ? 1 : 0;
    } finally {
      target.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nsee: npm run backfill -- --help\n`);
      return 2;
    }
    if (error instanceof TargetError || error instanceof LeaseBusyError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    io.err(
      `backfill stopped: ${error instanceof Error ? error.message : String(error)}\n` +
        'Run the same command again to continue from the checkpoint.\n',
    );
    return 1;
  }
};
