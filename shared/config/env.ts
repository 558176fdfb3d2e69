import * as z from 'zod';
import { ShopsConfigSchema } from './shops.js';

/**
 * Environment contracts, one schema per Lambda. The handler validates `process.env` once at cold start; the CDK
 * constructs and the local stack build the same variables, so a missing or malformed value fails at the edge.
 */

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `true` or `false` (as written in an environment), with a default when unset. */
const booleanSetting = (fallback: boolean) =>
  z
    .enum(['true', 'false'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true');

/** Optional endpoint overrides: set only by the local stack and tests (dynalite, fauxqs, local scheduler). */
const EndpointOverridesSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
  SCHEDULER_ENDPOINT: z.url().optional(),
});

/** A JSON-valued variable: parsed, then validated with `schema`; `{}` when unset. */
const jsonSetting = <S extends z.ZodType>(name: string, schema: S) =>
  z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} is not valid JSON` });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * Where a function's secret document lives: a Secrets Manager secret (AWS) or inline JSON (local stack only).
 * Ingest reads the webhook-verification secret, deliver the destination secret; neither can read the other's.
 */
const WebhookSecretSource = z.object({
  WEBHOOK_SECRETS_ARN: z.string().min(1).optional(),
  LOCAL_WEBHOOK_SECRETS_JSON: z.string().min(2).optional(),
  SECRETS_CACHE_SECONDS: positiveInt(300),
});
const DestinationSecretSource = z.object({
  DESTINATION_SECRETS_ARN: z.string().min(1).optional(),
  LOCAL_DESTINATION_SECRETS_JSON: z.string().min(2).optional(),
  SECRETS_CACHE_SECONDS: positiveInt(300),
});

/**
 * The activity record the inspector reads (shared/activity, docs/inspector.md): about one or two DynamoDB writes
 * per delivery. `off` saves them; unset means on wherever the function has the table (TABLE_NAME).
 */
const ActivityLogSettingSchema = z.object({
  ACTIVITY_LOG: z.enum(['on', 'off']).optional(),
  ACTIVITY_RETENTION_DAYS: positiveInt(30),
});

/**
 * Worker-side retry budget of an SQS consumer (CONTRACTS.md "Retry budget"): backoff
 * min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS × 2^(attempt-1)) through ChangeMessageVisibility on SOURCE_QUEUE_URL,
 * parked after MAX_ATTEMPTS. The defaults differ per queue.
 */
const retryBudget = (maxAttempts: number, baseSeconds: number, maxSeconds: number) =>
  z.object({
    MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(maxAttempts),
    RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(43_200).default(baseSeconds),
    /** SQS keeps a message hidden for at most 12 h (ChangeMessageVisibility). */
    RETRY_MAX_SECONDS: z.coerce.number().int().min(1).max(43_200).default(maxSeconds),
    /** When absent, the queue URL is derived from the record's event source ARN. */
    SOURCE_QUEUE_URL: z.string().min(1).optional(),
  });

/** One of a pair of variables must be set (spreading a shape drops refinements, so each schema adds this). */
const oneOf = <A extends string, L extends string>(
  arn: A,
  local: L,
): [(env: Partial<Record<A | L, string>>) => boolean, { message: string; path: string[] }] => [
  (env) => env[arn] !== undefined || env[local] !== undefined,
  { message: `set ${arn} (Secrets Manager) or ${local} (local stack)`, path: [arn] },
];

/**
 * Variables of earlier versions, refused with the name of their replacement so an upgrade with a stale
 * configuration fails at cold start instead of refusing every delivery.
 */
const removed = <K extends string>(replacements: Record<K, string>) =>
  Object.fromEntries(
    Object.entries<string>(replacements).map(([name, replacement]) => [
      name,
      z.undefined({ error: `${name} was removed: ${replacement}` }).optional(),
    ]),
  ) as Record<K, z.ZodOptional<z.ZodUndefined>>;

const REMOVED_SECRET = {
  SECRETS_ARN:
    'the webhook secret is WEBHOOK_SECRETS_ARN (ingest), the Customer.io one DESTINATION_SECRETS_ARN (deliver)',
  LOCAL_SECRETS_JSON: 'use LOCAL_WEBHOOK_SECRETS_JSON (ingest) or LOCAL_DESTINATION_SECRETS_JSON (deliver)',
};
const REMOVED_SHOP_SETTINGS = {
  STOREFRONT_SHOPS: 'set SHOPS {"<shop>.myshopify.com":{"storefront":{"publicKey","origins"}}}',
  PHONE_DEFAULT_COUNTRIES: 'set SHOPS {"<shop>.myshopify.com":{"phoneCountry":"US"}}',
  CUSTOMER_ID_PREFIX: 'set SHOPS {"<shop>.myshopify.com":{"customerIdPrefix":"..."}}',
};

/** `SHOPS`: the configured shops (JSON, shared/config/shops.ts); `{}` when unset, which refuses every delivery. */
const ShopsSetting = jsonSetting('SHOPS', ShopsConfigSchema);

/** Environment of the `ingest` Lambda (API Gateway HTTP API → inbox queue). */
export const IngestEnvSchema = z
  .object({
    ...EndpointOverridesSchema.shape,
    ...WebhookSecretSource.shape,
    ...removed({ ...REMOVED_SECRET, ...REMOVED_SHOP_SETTINGS }),
    INBOX_QUEUE_URL: z.string().min(1),
    /**
     * Largest webhook body accepted, in bytes. The queued envelope is also checked exactly against what SQS takes
     * (escaping can grow a body), so this only stops obviously oversized requests early.
     */
    MAX_BODY_BYTES: positiveInt(1000 * 1024),
    /**
     * Largest storefront beacon accepted, in bytes: 64 KiB, the most a page's keepalive fetch may send. The pixel
     * forwards a collection's variants and a cart's or checkout's lines as Shopify gives them (about 0.4–0.7 KB each),
     * so a 25-line checkout is already past 16 KiB; the pixel cannot retry a refused beacon.
     */
    MAX_BEACON_BYTES: positiveInt(64 * 1024),
    /** The configured shops: deliveries for any other shop are refused; storefront keys and origins per shop. */
    SHOPS: ShopsSetting,
  })
  .refine(...oneOf('WEBHOOK_SECRETS_ARN', 'LOCAL_WEBHOOK_SECRETS_JSON'));
/** Validated `ingest` environment. */
export type IngestEnv = z.infer<typeof IngestEnvSchema>;

/**
 * Cart recovery, shared by the `process` Lambda (schedules the first check) and `cart-check` (emits, reschedules).
 * With SCHEDULER_MODE=aws the four Scheduler variables are needed; without them `process` runs no cart recovery.
 */
const CartRecoveryEnvSchema = z.object({
  /** `local`: checks go to LOCAL_SCHEDULER_FILE and the local stack fires them (no Scheduler emulator exists). */
  SCHEDULER_MODE: z.enum(['aws', 'local']).default('aws'),
  LOCAL_SCHEDULER_FILE: z.string().min(1).optional(),
  // Plain strings: the CDK app checks these at synth time, while they are still unresolved tokens.
  SCHEDULE_GROUP_NAME: z.string().min(1).optional(),
  CART_CHECK_TARGET_ARN: z.string().min(1).optional(),
  SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  /** A standard SQS queue (the Scheduler takes no FIFO DLQ). */
  SCHEDULER_DLQ_ARN: z.string().min(1).optional(),
  /** Minutes after the cart's last activity at which each step checks it, e.g. "60,1440". */
  CART_RECOVERY_STEPS_MINUTES: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, 'comma-separated minutes')
    .default('60,1440'),
  /** Earliest a check is scheduled from now (a past due time moves up to this); the Scheduler has 60 s precision. */
  CART_RECOVERY_MIN_LEAD_SECONDS: z.coerce.number().nonnegative().default(60),
  CART_RETENTION_DAYS: positiveInt(30),
  SCHEDULER_MAX_RETRY_ATTEMPTS: z.coerce.number().int().min(0).max(185).default(10),
  SCHEDULER_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).default(21_600),
});

/** Environment of the `process` Lambda (inbox queue → normalize, dedupe → outbox queue). */
export const ProcessEnvSchema = z.object({
  ...EndpointOverridesSchema.shape,
  TABLE_NAME: z.string().min(1),
  OUTBOX_QUEUE_URL: z.string().min(1),
  /** The inbox DLQ: permanent failures park here at once, and transient ones out of attempts, with their reason. */
  INBOX_DLQ_URL: z.string().min(1),
  IDENTIFIER_STRATEGY: z.enum(['customer_id', 'email']).default('customer_id'),
  /** The configured shops: phone country and customer-id prefix per shop. */
  SHOPS: ShopsSetting,
  ...removed(REMOVED_SHOP_SETTINGS),
  /**
   * Storefront browsers one cart or checkout token may collect (a shopper's phone, laptop, tablet...). More are
   * refused and counted (`AnonymousIdsCapped`): without a cap, anyone could attach thousands of fake browsers to
   * a cart token and make its order emit one merge per browser.
   */
  MAX_ANONYMOUS_IDS_PER_TOKEN: positiveInt(10),
  /** Browser merges one delivery may emit; the rest are counted (`AnonymousMergesCapped`) and skipped. */
  MAX_MERGES_PER_DELIVERY: positiveInt(10),
  /** How long a dedupe claim is held before another worker may take it over (crash recovery). */
  DEDUPE_LEASE_SECONDS: positiveInt(120),
  /** How long completed dedupe records are kept (Shopify retries for 4 h, Recharge for 48 h). */
  DEDUPE_RETENTION_DAYS: positiveInt(30),
  /**
   * Whether Shopify test orders (`test: true`) count in person rollups (orders_count, total_spent, first and last
   * order, average order value, top categories). Default `false`: a merchant testing checkout does not make
   * their own profile, or a shopper's, a customer. Their events are delivered either way, flagged `is_test`.
   */
  ROLLUPS_INCLUDE_TEST_ORDERS: booleanSetting(false),
  ...CartRecoveryEnvSchema.shape,
  // Rides out 2 h 30 min of a dependency outage (up to 2 h 45 min with jitter) before a record parks.
  ...retryBudget(15, 30, 900).shape,
  ...ActivityLogSettingSchema.shape,
});
/** Validated `process` environment. */
export type ProcessEnv = z.infer<typeof ProcessEnvSchema>;

/** Environment of the `cart-check` Lambda (EventBridge Scheduler → re-read the cart → outbox queue). */
export const CartCheckEnvSchema = z.object({
  ...EndpointOverridesSchema.shape,
  ...CartRecoveryEnvSchema.shape,
  TABLE_NAME: z.string().min(1),
  OUTBOX_QUEUE_URL: z.string().min(1),
  IDENTIFIER_STRATEGY: z.enum(['customer_id', 'email']).default('customer_id'),
  /** The configured shops: customer-id prefix per shop. */
  SHOPS: ShopsSetting,
  ...removed(REMOVED_SHOP_SETTINGS),
  /**
   * The cart-check DLQ (also the function's on-failure destination): a permanent failure is parked here at once,
   * with its reason. Without it, a permanent failure is thrown like a transient one and reaches the queue through
   * Lambda's retries and on-failure destination.
   */
  CART_CHECK_DLQ_URL: z.string().min(1).optional(),
  /**
   * Lease of a step's hand-off claim. Lambda retries a failed asynchronous invocation after about 1 and then 2
   * more minutes: with 60 s, a crashed attempt's step is taken over by its retries, never lost.
   */
  DEDUPE_LEASE_SECONDS: positiveInt(60),
  /** How long a sent step's claim is kept (checks of one cart span the recovery steps, days at most). */
  DEDUPE_RETENTION_DAYS: positiveInt(30),
  ...ActivityLogSettingSchema.shape,
});
/** Validated `cart-check` environment. */
export type CartCheckEnv = z.infer<typeof CartCheckEnvSchema>;

/** Environment of the `deliver` Lambda (outbox queue → Customer.io Track API). */
export const DeliverEnvSchema = z
  .object({
    ...EndpointOverridesSchema.shape,
    ...DestinationSecretSource.shape,
    ...removed(REMOVED_SECRET),
    /** The configured shops: the Customer.io workspace each shop's messages go to. */
    SHOPS: ShopsSetting,
    CIO_REGION: z.enum(['us', 'eu']).default('us'),
    /** Override of the Track API base URL (local capture server, tests). */
    CIO_TRACK_URL: z.url().optional(),
    /** JSON object renaming canonical events, e.g. {"Added to Cart":"Product Added"} (names ≤ 100 bytes). */
    EVENT_NAME_OVERRIDES: jsonSetting(
      'EVENT_NAME_OVERRIDES',
      z.record(z.string(), z.string().min(1).max(100)),
    ),
    CIO_TIMEOUT_MS: positiveInt(8_000),
    /**
     * The connector table: deliver claims each identify's version there before sending it (ordering), and writes
     * the activity record.
     */
    TABLE_NAME: z.string().min(1),
    /**
     * How long another worker's send of the same person may still be on its way: the deliver function's timeout.
     * An identify claimed while an older one is that recent waits for it, so the older cannot land last.
     */
    DELIVERY_INFLIGHT_SECONDS: positiveInt(90),
    // Rides out 7 h of a Customer.io outage (up to 7 h 45 min with jitter) before a record parks.
    ...retryBudget(20, 30, 1800).shape,
    /**
     * The outbox DLQ: items Customer.io refused and records out of attempts are parked here with their reason.
     * Without it, failures are logged and left to the queue's redrive policy (which adds no reason).
     */
    OUTBOX_DLQ_URL: z.string().min(1).optional(),
    ...ActivityLogSettingSchema.shape,
  })
  .refine(...oneOf('DESTINATION_SECRETS_ARN', 'LOCAL_DESTINATION_SECRETS_JSON'))
  .refine((env) => env.ACTIVITY_LOG !== 'on' || env.TABLE_NAME !== undefined, {
    message: 'ACTIVITY_LOG=on needs TABLE_NAME (or set ACTIVITY_LOG=off)',
    path: ['TABLE_NAME'],
  });
/** Validated `deliver` environment. */
export type DeliverEnv = z.infer<typeof DeliverEnvSchema>;

/** Parses an environment with a schema and throws one readable error listing every problem. */
export const parseEnv = <S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.infer<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new Error(`Invalid environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
};
