import { runBackfill } from '../../backfill/backfill-run.js';
import { LeaseBusyError } from '../../backfill/lease.js';
import { adminSecretsFor } from '../../config/admin-secrets.js';
import { canonicalShop } from '../../config/shops.js';
import { DEFAULT_RECHARGE_API_VERSION, DEFAULT_SHOPIFY_API_VERSION } from '../../config/sync-env.js';
import { wireSync } from '../../runtime/wire-sync.js';
import { parseOptions, TARGET_OPTIONS, UsageError } from '../cli-args.js';
import { TargetError } from '../ops-target.js';
import { apiLines, progressLine, unreadableLines } from './sync-report.js';
import type { SyncTarget, SyncTargetOptions } from './sync-target.js';

/** The terminal and the world the sync commands talk to (tests pass their own). */
export interface SyncIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now: () => Date;
  readonly target: (options: SyncTargetOptions) => Promise<SyncTarget>;
  /** Who runs it (host#pid), shown to a second run that finds the lease taken. */
  readonly holder: string;
}

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
  'shopify-api-version': {
    type: 'string',
    value: '<version>',
    help: `default ${DEFAULT_SHOPIFY_API_VERSION}`,
  },
  'recharge-api-version': {
    type: 'string',
    value: '<version>',
    help: `default ${DEFAULT_RECHARGE_API_VERSION}`,
  },
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

/** The shop option, normalized. */
export const parseShop = (value: string | undefined): string => {
  const shop = value === undefined ? undefined : canonicalShop(value);
  if (!shop) throw new UsageError('--shop <name>.myshopify.com is required');
  return shop;
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
    const target = await io.target({
      stack: values.stack,
      profile: values.profile,
      region: values.region,
      localData: values['local-data'],
    });
    try {
      const secrets = adminSecretsFor(await target.adminSecrets(), shop);
      if (!secrets) throw new TargetError(`the Admin API secret has no credentials for ${shop}`);
      const wired = wireSync({
        shop,
        secrets,
        shopifyApiVersion: values['shopify-api-version'] ?? DEFAULT_SHOPIFY_API_VERSION,
        rechargeApiVersion: values['recharge-api-version'] ?? DEFAULT_RECHARGE_API_VERSION,
        ...(target.apiUrls ? { urls: target.apiUrls } : {}),
        inbox: target.inbox,
        dynamo: target.dynamo,
        tableName: target.tableName,
        clock: io.now,
      });
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
