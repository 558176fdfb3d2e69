import * as z from 'zod';

/** The GraphQL Admin API version backfill and reconciliation pin (the version of the normalizers' samples). */
export const DEFAULT_SHOPIFY_API_VERSION = '2026-07';
/** The Recharge API version they pin (`X-Recharge-Version`). */
export const DEFAULT_RECHARGE_API_VERSION = '2021-11';

/** `YYYY-MM` (Shopify's quarterly versions) or `YYYY-MM-DD`-less `unstable`. */
const ShopifyVersionSchema = z
  .string()
  .regex(/^(\d{4}-\d{2}|unstable)$/, 'a Shopify API version like 2026-07');
const RechargeVersionSchema = z.string().regex(/^\d{4}-\d{2}$/, 'a Recharge API version like 2021-11');
const CheckModeSchema = z.enum(['off', 'check', 'recreate']);

/** Endpoint overrides the local stack and tests set (dynalite, fauxqs). */
const EndpointOverridesSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
});

/**
 * Environment of the `reconcile` Lambda (an EventBridge Scheduler schedule per shop invokes it with `{ "shop" }`):
 * it reads the Admin APIs with the Admin API secret, feeds what webhooks missed into the inbox, and checks the
 * webhook subscriptions.
 */
export const ReconcileEnvSchema = z
  .object({
    ...EndpointOverridesSchema.shape,
    TABLE_NAME: z.string().min(1),
    INBOX_QUEUE_URL: z.string().min(1),
    /** The Admin API secret (shared/config/admin-secrets.ts), read by backfill and reconciliation only. */
    ADMIN_SECRETS_ARN: z.string().min(1).optional(),
    /** Local stack and tests only: the Admin API secret's JSON inline. */
    LOCAL_ADMIN_SECRETS_JSON: z.string().min(2).optional(),
    SECRETS_CACHE_SECONDS: z.coerce.number().int().positive().default(300),
    SHOPIFY_ADMIN_API_VERSION: ShopifyVersionSchema.default(DEFAULT_SHOPIFY_API_VERSION),
    RECHARGE_API_VERSION: RechargeVersionSchema.default(DEFAULT_RECHARGE_API_VERSION),
    /** Minutes read back before the watermark each run (records updated while the last run was reading). */
    RECONCILE_OVERLAP_MINUTES: z.coerce.number().int().min(0).max(1_440).default(15),
    /**
     * How far a shop's first run looks back. Short by default: what it finds is sent as live events (campaigns
     * may fire), and older history is the backfill's job, without events.
     */
    RECONCILE_INITIAL_LOOKBACK_MINUTES: z.coerce.number().int().min(1).max(43_200).default(60),
    /** What to do about a missing Shopify subscription (app-managed ones in shopify.app.toml are invisible: off). */
    RECONCILE_SHOPIFY_WEBHOOKS: CheckModeSchema.default('off'),
    RECONCILE_RECHARGE_WEBHOOKS: CheckModeSchema.default('check'),
    /** The connector's webhook URLs, to find (and re-create) the subscriptions pointing at it. */
    SHOPIFY_WEBHOOK_URL: z.url().optional(),
    RECHARGE_WEBHOOK_URL: z.url().optional(),
    /** API origins other than the platforms' (local fake shop, tests). */
    SHOPIFY_ADMIN_URL: z.url().optional(),
    RECHARGE_API_URL: z.url().optional(),
    JUDGEME_API_URL: z.url().optional(),
  })
  .refine((env) => env.ADMIN_SECRETS_ARN !== undefined || env.LOCAL_ADMIN_SECRETS_JSON !== undefined, {
    message: 'set ADMIN_SECRETS_ARN (Secrets Manager) or LOCAL_ADMIN_SECRETS_JSON (local stack)',
    path: ['ADMIN_SECRETS_ARN'],
  });
/** Validated `reconcile` environment. */
export type ReconcileEnv = z.infer<typeof ReconcileEnvSchema>;
