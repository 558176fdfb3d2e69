import { hostname } from 'node:os';
import * as z from 'zod';
import { JsonSecretDocument } from '../adapters/json-secret-document.js';
import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import { AdminSecretsSchema, adminSecretsFor } from '../config/admin-secrets.js';
import { canonicalShop } from '../config/shops.js';
import type { ReconcileEnv } from '../config/sync-env.js';
import { systemClock } from '../ports/clock.js';
import type { Telemetry } from '../ports/telemetry.js';
import { type ReconcileSummary, runReconcile } from '../reconcile/reconcile-run.js';
import { type AwsClients, lazyDynamo, lazySecrets, lazySqs } from './aws-clients.js';
import { wireSync } from './wire-sync.js';

/** What the schedule passes: the shop to reconcile. */
const ReconcileInputSchema = z.object({ shop: z.string().min(1) });

/** How one invocation ended (the Lambda's answer; failures are counted and logged, not thrown). */
export type ReconcileOutcome =
  | { readonly ok: true; readonly summary: ReconcileSummary }
  | { readonly ok: false; readonly reason: string };

/** A run that failed for a reason safe to log and count (an error's name and message, never a record). */
const failureOf = (error: unknown): { code: string; reason: string } => {
  const code = (error as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' && /^[a-z_]{1,40}$/.test(code) ? code : 'internal_error',
    reason: error instanceof Error ? error.message.slice(0, 500) : 'unknown error',
  };
};

/**
 * Builds the reconcile Lambda's core from its validated environment (clients and the secret cache once per
 * container). Each invocation reconciles the shop its schedule names. A failure is counted (`ReconcileFailed`, and
 * `ReconcileFailed_<code>`) and logged with its reason instead of thrown: the watermark stays, so the next scheduled
 * run covers the same window, and async retries would only repeat the failure sooner.
 */
export const wireReconcile = (
  env: ReconcileEnv,
  telemetry: Telemetry,
  clients: Pick<AwsClients, 'dynamo' | 'sqs' | 'secrets'> = {
    dynamo: lazyDynamo(env),
    sqs: lazySqs(env),
    secrets: lazySecrets(env),
  },
): ((input: unknown) => Promise<ReconcileOutcome>) => {
  const dynamo = clients.dynamo();
  const sqs = clients.sqs();
  const secrets = new JsonSecretDocument(
    env.LOCAL_ADMIN_SECRETS_JSON
      ? { kind: 'inline', json: env.LOCAL_ADMIN_SECRETS_JSON, variable: 'LOCAL_ADMIN_SECRETS_JSON' }
      : { kind: 'secrets-manager', client: clients.secrets(), secretId: env.ADMIN_SECRETS_ARN ?? '' },
    AdminSecretsSchema,
    env.SECRETS_CACHE_SECONDS,
    systemClock,
  );
  const inbox = new SqsMessageQueue(sqs, env.INBOX_QUEUE_URL);
  const holder = `${hostname()}#${process.pid}`;
  return async (input) => {
    const parsed = ReconcileInputSchema.safeParse(input);
    const shop = parsed.success ? canonicalShop(parsed.data.shop) : undefined;
    const fail = (code: string, reason: string): ReconcileOutcome => {
      telemetry.counters.count('ReconcileFailed');
      telemetry.counters.count(`ReconcileFailed_${code}`);
      telemetry.log.error('reconciliation failed', { code, reason });
      return { ok: false, reason };
    };
    if (!shop) return fail('input_invalid', 'the schedule input names no <name>.myshopify.com shop');
    try {
      const shopSecrets = adminSecretsFor(await secrets.get(), shop);
      if (!shopSecrets)
        return fail('configuration_invalid', `the Admin API secret has no credentials for ${shop}`);
      const wired = wireSync({
        shop,
        secrets: shopSecrets,
        shopifyApiVersion: env.SHOPIFY_ADMIN_API_VERSION,
        rechargeApiVersion: env.RECHARGE_API_VERSION,
        urls: {
          ...(env.SHOPIFY_ADMIN_URL ? { shopify: env.SHOPIFY_ADMIN_URL } : {}),
          ...(env.RECHARGE_API_URL ? { recharge: env.RECHARGE_API_URL } : {}),
          ...(env.JUDGEME_API_URL ? { judgeme: env.JUDGEME_API_URL } : {}),
        },
        inbox,
        dynamo,
        tableName: env.TABLE_NAME,
        clock: systemClock,
      });
      const summary = await runReconcile(
        {
          shop,
          overlapMinutes: env.RECONCILE_OVERLAP_MINUTES,
          initialLookbackMinutes: env.RECONCILE_INITIAL_LOOKBACK_MINUTES,
          webhooks: {
            shopify: {
              mode: env.RECONCILE_SHOPIFY_WEBHOOKS,
              ...(env.SHOPIFY_WEBHOOK_URL ? { url: env.SHOPIFY_WEBHOOK_URL } : {}),
            },
            recharge: {
              mode: env.RECONCILE_RECHARGE_WEBHOOKS,
              ...(env.RECHARGE_WEBHOOK_URL ? { url: env.RECHARGE_WEBHOOK_URL } : {}),
            },
          },
        },
        { ...wired, clock: systemClock, holder, telemetry },
      );
      telemetry.log.info('reconciliation done', {
        read: summary.counts.read,
        known: summary.counts.known,
        missing: summary.counts.queued,
        unreadable: summary.counts.unreadable,
      });
      return { ok: true, summary };
    } catch (error) {
      const { code, reason } = failureOf(error);
      return fail(code, reason);
    }
  };
};
