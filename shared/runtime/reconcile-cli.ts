import { parseOptions, positiveInt, TARGET_OPTIONS, UsageError } from '../operations/cli-args.js';
import { apiLines, unreadableLines } from '../operations/sync/sync-report.js';
import { MemoryCounters } from '../ports/telemetry.js';
import { runReconcile } from '../reconcile/reconcile-run.js';
import type { WebhookCheckMode } from '../reconcile/webhook-check.js';
import { API_VERSION_OPTIONS, openShopSync, parseShop, type SyncIo } from './sync-cli-kit.js';
import { consoleLog } from './telemetry.js';

const OPTIONS = {
  shop: { type: 'string', value: '<domain>', help: 'the shop, <name>.myshopify.com' },
  'overlap-minutes': {
    type: 'string',
    value: '<n>',
    help: 'read back this far before the watermark (default 15)',
  },
  'lookback-minutes': {
    type: 'string',
    value: '<n>',
    help: 'a first run looks back this far (default 60)',
  },
  'shopify-webhooks': {
    type: 'string',
    value: '<off|check|recreate>',
    help: 'check Shopify API subscriptions (default off: app-managed ones are invisible)',
  },
  'recharge-webhooks': {
    type: 'string',
    value: '<off|check|recreate>',
    help: 'check Recharge webhooks (default check)',
  },
  ...API_VERSION_OPTIONS,
  ...TARGET_OPTIONS,
} as const;

const HELP = `usage: npm run reconcile -- --shop <domain> [--stack <name> | --local-data <dir>]

One reconciliation of a shop, as the deployed schedule runs it: reads what changed since the last run (orders,
customers, abandoned checkouts; Recharge subscriptions and charges), feeds into the inbox every record no webhook
delivered, and checks the webhook subscriptions. docs/backfill.md, runbook: #reconciliation-missing.

options:
${Object.entries(OPTIONS)
  .map(([name, spec]) => `  --${name}${'value' in spec ? ` ${spec.value}` : ''}`.padEnd(38) + spec.help)
  .join('\n')}
`;

const checkMode = (name: string, value: string | undefined, fallback: WebhookCheckMode): WebhookCheckMode => {
  const mode = value ?? fallback;
  if (mode !== 'off' && mode !== 'check' && mode !== 'recreate')
    throw new UsageError(`--${name}: off, check or recreate`);
  return mode;
};

/** `npm run reconcile`: returns the exit code (0 done, 1 failed, 2 wrong usage). */
export const runReconcileCli = async (argv: readonly string[], io: SyncIo): Promise<number> => {
  try {
    const values = parseOptions('reconcile', OPTIONS, argv);
    if (values.help) {
      io.out(HELP);
      return 0;
    }
    const shop = parseShop(values.shop);
    const shopifyMode = checkMode('shopify-webhooks', values['shopify-webhooks'], 'off');
    const rechargeMode = checkMode('recharge-webhooks', values['recharge-webhooks'], 'check');
    const { target, wired } = await openShopSync(io, shop, values);
    try {
      const counters = new MemoryCounters();
      const summary = await runReconcile(
        {
          shop,
          overlapMinutes: positiveInt('overlap-minutes', values['overlap-minutes'], 15),
          initialLookbackMinutes: positiveInt('lookback-minutes', values['lookback-minutes'], 60),
          webhooks: {
            shopify: {
              mode: shopifyMode,
              ...(target.webhookUrls.shopify ? { url: target.webhookUrls.shopify } : {}),
            },
            recharge: {
              mode: rechargeMode,
              ...(target.webhookUrls.recharge ? { url: target.webhookUrls.recharge } : {}),
            },
          },
        },
        {
          ...wired,
          clock: io.now,
          holder: io.holder,
          telemetry: { log: consoleLog('reconcile', 'warn'), counters },
        },
      );
      if (summary.skipped) {
        io.out(`reconcile ${shop}: another run holds the shop's lease; nothing done\n`);
        return 0;
      }
      const missing = Object.entries(summary.missing);
      io.out(
        `reconcile ${shop} ${summary.since} → ${summary.until} (${target.label})\n` +
          `  read ${summary.counts.read} · known ${summary.counts.known} · fed as missing ${summary.counts.queued}\n` +
          (missing.length > 0
            ? missing.map(([topic, count]) => `  missing ${topic}: ${count}\n`).join('')
            : '') +
          Object.entries(summary.webhooks)
            .map(([platform, result]) =>
              'failure' in result && !('missing' in result)
                ? `  ${platform} webhooks: check failed (${result.failure})\n`
                : `  ${platform} webhooks: ${'missing' in result && result.missing.length > 0 ? `missing ${result.missing.join(', ')}` : 'all present'}` +
                  `${'recreated' in result && result.recreated.length > 0 ? `; re-created ${result.recreated.join(', ')}` : ''}\n`,
            )
            .join('') +
          `metrics: ${[...counters.values].map(([name, value]) => `${name}=${value}`).join(' ') || 'none'}\n` +
          `API calls:\n${apiLines(summary.api)}` +
          (summary.unreadable.length > 0
            ? `unreadable records:\n${unreadableLines(summary.unreadable)}`
            : ''),
      );
      return 0;
    } finally {
      target.close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\nsee: npm run reconcile -- --help\n`);
      return 2;
    }
    io.err(`reconcile failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
};
