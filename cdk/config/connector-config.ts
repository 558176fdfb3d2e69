import * as z from 'zod';
import { DeliverEnvSchema, ProcessEnvSchema } from '../../shared/config/env.js';
import { ShopsConfigSchema } from '../../shared/config/shops.js';
import { ReconcileEnvSchema } from '../../shared/config/sync-env.js';

/** Deployment stages: separate stacks (and resources) in one account. */
const STAGES = ['dev', 'prod'] as const;
/** A deployment stage. */
export type Stage = (typeof STAGES)[number];

/** Inbox and outbox keep a message 4 days (CONTRACTS.md): longer than either retry budget (≤ 7.5 h). */
export const QUEUE_RETENTION_DAYS = 4;

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const ARN_REGION = /^arn:aws[\w-]*:[\w-]+:([a-z0-9-]*):/;
const secretArn = z
  .string()
  .regex(
    /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/,
    'a complete Secrets Manager secret ARN (with its 6-character suffix)',
  );

/**
 * Settings of earlier versions, refused with the name of their replacement (a strict object would only say
 * "unrecognized key"), so an upgrade with a stale config file fails the synth with what to write instead.
 */
const removedSettings = <K extends string>(replacements: Record<K, string>) =>
  Object.fromEntries(
    Object.entries<string>(replacements).map(([name, replacement]) => [
      name,
      z.undefined({ error: `${name} was removed: ${replacement}` }).optional(),
    ]),
  ) as Record<K, z.ZodOptional<z.ZodUndefined>>;

/** HTTP API route throttle: steady requests per second and the bucket a burst may drain. */
const ThrottleSchema = z.strictObject({
  // The account-wide HTTP API quota per Region is 10,000 rps with a 5,000 burst: a route cannot exceed it.
  rateLimit: z.number().positive().max(10_000),
  burstLimit: z.number().int().min(0).max(5_000),
});

/** Reserved concurrency: a number of instances, or null for none (the function draws on the account pool). */
const ReservedConcurrencySchema = z.number().int().min(1).max(1_000).nullable();

/**
 * Every deploy-time setting of the connector. Each one can come from `connector.config.json` (top level, or per
 * stage under `stages.<stage>`) or from CDK context (`-c key=value`, `-c group.key=value`, JSON for objects).
 */
const ConnectorSettingsSchema = z
  .strictObject({
    /** Customer.io data centre of the workspace. */
    cioRegion: DeliverEnvSchema.shape.CIO_REGION.unwrap(),
    /** Which shop identifier becomes the Customer.io person id. */
    identifierStrategy: ProcessEnvSchema.shape.IDENTIFIER_STRATEGY.unwrap(),
    /** Renames canonical events, e.g. {"Added to Cart":"Product Added"}. */
    eventNameOverrides: z.record(z.string().min(1), z.string().min(1).max(100)),
    /** Minutes after a cart's last activity at which each recovery step checks it, ascending. */
    cartRecoveryStepsMinutes: z
      .array(z.number().positive().max(43_200))
      .min(1)
      .max(10)
      .refine((steps) => steps.every((step, i) => i === 0 || step > (steps[i - 1] ?? 0)), 'ascending'),
    /** Days a cart record is kept after its last activity. */
    cartRetentionDays: z.number().int().positive().max(365),
    /** Seconds a dedupe claim blocks other workers before a crashed one is taken over. */
    dedupeLeaseSeconds: z.number().int().min(10).max(3_600),
    /** Days completed dedupe records are kept (Recharge retries for 48 h). */
    dedupeRetentionDays: z.number().int().min(3).max(365),
    /**
     * The shops the connector serves (shared/config/shops.ts, the schema every function validates env SHOPS with):
     * storefront key and origins, phone country, Customer.io workspace and customer-id prefix per shop. Deliveries
     * for any other shop are refused, so an empty list refuses everything.
     */
    shops: ShopsConfigSchema,
    ...removedSettings({
      customerIdPrefix: 'set shops.<shop>.customerIdPrefix',
      phoneDefaultCountries:
        'set shops.<shop>.phoneCountry (one per shop; "*" is gone: every shop is listed)',
      storefrontShops: 'set shops.<shop>.storefront ({ "publicKey", "origins" })',
      existingSecretArn: 'use existingWebhookSecretArn and existingDestinationSecretArn (two secrets)',
    }),
    /** Concurrency of each function. */
    concurrency: z.strictObject({
      /** Most concurrent process batches the inbox may drive (event source mapping, 2–1000). */
      process: z.number().int().min(2).max(1_000),
      /** Most concurrent deliver batches the outbox may drive (2–1000). */
      deliver: z.number().int().min(2).max(1_000),
      /** Reserved concurrency of cart-check (a cap, and capacity held for it), or null. */
      cartCheckReserved: ReservedConcurrencySchema,
      /** Reserved concurrency of ingest (capacity held for webhooks), or null. */
      ingestReserved: ReservedConcurrencySchema,
    }),
    /** Retention of every function's and the API's log group, in days. */
    logRetentionDays: z.union(LOG_RETENTION_DAYS.map((days) => z.literal(days))),
    /** Alarms and where they notify. */
    alarms: z.strictObject({
      enabled: z.boolean(),
      /** An address subscribed to the alarm topic (confirm the subscription email AWS sends). */
      email: z.email().optional(),
      /** An existing SNS topic to notify instead of a new one (e.g. a chat integration's). */
      topicArn: z
        .string()
        .regex(/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/, 'an SNS topic ARN')
        .optional(),
      /** Where alarm descriptions point: the runbook, e.g. your fork's URL of docs/runbook.md. */
      runbookUrl: z.string().min(1).max(400),
    }),
    /** One CloudWatch dashboard of the pipeline. */
    dashboard: z.boolean(),
    /** Lambda active tracing (X-Ray). */
    tracing: z.boolean(),
    /** Per-route throttles of the HTTP API: webhooks never queue behind the public beacon route. */
    throttle: z.strictObject({ webhooks: ThrottleSchema, collect: ThrottleSchema }),
    /** Optional AWS WAF web ACL (through a CloudFront distribution: WAF cannot attach to an HTTP API). */
    waf: z.strictObject({
      enabled: z.boolean(),
      /** Requests per client IP per 5 minutes to the webhook routes before WAF blocks that IP. */
      webhookRatePerIp: z.number().int().min(10).max(2_000_000_000),
      /** Requests per client IP per 5 minutes to /collect before WAF blocks that IP. */
      collectRatePerIp: z.number().int().min(10).max(2_000_000_000),
    }),
    /** Custom domain of the webhook API: an ACM certificate ARN and the domain name. */
    customDomain: z
      .strictObject({
        domainName: z
          .string()
          .regex(/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/, 'a lower-case domain name'),
        certificateArn: z
          .string()
          .regex(/^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'an ACM certificate ARN'),
      })
      .optional(),
    /** Use existing secrets instead of creating them (complete ARNs). */
    existingWebhookSecretArn: secretArn.optional(),
    existingDestinationSecretArn: secretArn.optional(),
    /** The Admin API secret (backfill and reconciliation: per-shop Shopify and Recharge tokens). */
    existingAdminSecretArn: secretArn.optional(),
    /** Reconciliation: a recurring schedule per shop that feeds what webhooks missed (docs/backfill.md). */
    reconciliation: z.strictObject({
      enabled: z.boolean(),
      /** The shops reconciled; unset: every shop of `shops`. */
      shops: z
        .array(
          z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'a normalized <shop>.myshopify.com domain'),
        )
        .optional(),
      /** Minutes between two runs of a shop (EventBridge Scheduler rate). */
      everyMinutes: z.number().int().min(5).max(1_440),
      overlapMinutes: ReconcileEnvSchema.shape.RECONCILE_OVERLAP_MINUTES.unwrap(),
      initialLookbackMinutes: ReconcileEnvSchema.shape.RECONCILE_INITIAL_LOOKBACK_MINUTES.unwrap(),
      /** The pinned Admin API versions. */
      shopifyApiVersion: ReconcileEnvSchema.shape.SHOPIFY_ADMIN_API_VERSION.unwrap(),
      rechargeApiVersion: ReconcileEnvSchema.shape.RECHARGE_API_VERSION.unwrap(),
      /** Missing webhook subscriptions: ignore (off), alarm (check), or re-create then alarm if that fails. */
      webhooks: z.strictObject({
        shopify: ReconcileEnvSchema.shape.RECONCILE_SHOPIFY_WEBHOOKS.unwrap(),
        recharge: ReconcileEnvSchema.shape.RECONCILE_RECHARGE_WEBHOOKS.unwrap(),
      }),
    }),
    /** The table: kept on stack deletion (retain) or deleted with it (destroy), and deletion protection. */
    table: z.strictObject({
      removalPolicy: z.enum(['retain', 'destroy']),
      deletionProtection: z.boolean(),
    }),
    /** Days a dead letter is kept; more than the source queues' 4, since a DLQ keeps the original enqueue time. */
    dlqRetentionDays: z
      .number()
      .int()
      .max(14)
      .refine(
        (days) => days > QUEUE_RETENTION_DAYS,
        `more than the source queues' ${QUEUE_RETENTION_DAYS} days`,
      ),
    /**
     * The per-person activity record the inspector reads (docs/inspector.md): about one DynamoDB write per delivery
     * plus one per person per Customer.io call, kept `retentionDays`. Off saves those writes; the inspector then
     * shows only DLQ messages and the identity, cart and rollup state.
     */
    activityLog: z.strictObject({
      enabled: z.boolean(),
      retentionDays: z.number().int().min(1).max(365),
    }),
    /** Extra tags on every resource (app and stage are always set). */
    tags: z.record(z.string().min(1).max(128), z.string().max(256)),
  })
  .superRefine((settings, ctx) => {
    const region = settings.customDomain?.certificateArn.match(ARN_REGION)?.[1];
    if (settings.waf.enabled && settings.customDomain !== undefined && region !== 'us-east-1') {
      ctx.addIssue({
        code: 'custom',
        path: ['customDomain', 'certificateArn'],
        message:
          'with waf.enabled the domain is served by CloudFront, whose certificate must be in us-east-1',
      });
    }
  });
/** Validated settings of one stage. */
type ConnectorSettings = z.infer<typeof ConnectorSettingsSchema>;

/** Settings of a stage, with the stage. */
export interface ConnectorConfig extends ConnectorSettings {
  readonly stage: Stage;
}

type SettingsInput = z.input<typeof ConnectorSettingsSchema>;

/** What both stages start from. */
const COMMON_DEFAULTS: SettingsInput = {
  cioRegion: 'us',
  identifierStrategy: 'customer_id',
  eventNameOverrides: {},
  cartRecoveryStepsMinutes: [60, 1440],
  cartRetentionDays: 30,
  dedupeLeaseSeconds: 120,
  dedupeRetentionDays: 30,
  shops: {},
  // 10 concurrent batches of 10 outpace any one shop's webhook rate while leaving most of a new account's
  // concurrency to the rest. 5 deliver workers stay under about 50 Track API requests/s even sending one by one:
  // half the older 100 rps limit (1000 rps today), which the workspace shares with its other integrations.
  concurrency: { process: 10, deliver: 5, cartCheckReserved: null, ingestReserved: null },
  logRetentionDays: 30,
  alarms: { enabled: true, runbookUrl: 'docs/runbook.md' },
  dashboard: true,
  tracing: false,
  throttle: {
    // A signed webhook is worth keeping: 100 rps (burst 200) is several times a flash sale's order rate, and a
    // sender that gets 429 retries. Each webhook route has its own bucket.
    webhooks: { rateLimit: 100, burstLimit: 200 },
    // Beacons are anonymous and only analytics: half the webhooks' rate, so a flood of them cannot starve a webhook.
    collect: { rateLimit: 50, burstLimit: 100 },
  },
  // WAF rate rules count per IP over 5 minutes. 3,000 (10 rps sustained from one address) is far above what one
  // platform sender IP posts, while a flood from one host is cut; 300 beacons in 5 minutes is a page view every
  // second from one shopper's address, beyond any human browsing.
  waf: { enabled: false, webhookRatePerIp: 3_000, collectRatePerIp: 300 },
  table: { removalPolicy: 'retain', deletionProtection: true },
  dlqRetentionDays: 14,
  // 30 days: as long as Customer.io guarantees a person's activities through its App API, to compare both.
  activityLog: { enabled: true, retentionDays: 30 },
  tags: {},
  reconciliation: {
    enabled: true,
    // Hourly: a missed order is caught within the hour, at a few hundred Admin API points per run.
    everyMinutes: 60,
    overlapMinutes: 15,
    initialLookbackMinutes: 60,
    shopifyApiVersion: '2026-07',
    rechargeApiVersion: '2021-11',
    // Subscriptions in shopify.app.toml (the recommended setup) are app-scoped and invisible to the Admin API.
    webhooks: { shopify: 'off', recharge: 'check' },
  },
};

/** Stage defaults: prod keeps data and pages people; dev is cheap and can be destroyed. */
const STAGE_DEFAULTS: Readonly<Record<Stage, SettingsInput>> = {
  prod: {
    ...COMMON_DEFAULTS,
    // A cap on cart-check: a burst of schedules firing together (a flash sale's abandoned carts) waits in Lambda's
    // async queue (retried up to the 6 h event age) instead of taking the concurrency ingest needs. 10 instances
    // check ~100 carts/s at ~100 ms each.
    concurrency: { ...COMMON_DEFAULTS.concurrency, cartCheckReserved: 10 },
  },
  dev: {
    ...COMMON_DEFAULTS,
    alarms: { ...COMMON_DEFAULTS.alarms, enabled: false },
    logRetentionDays: 7,
    table: { removalPolicy: 'destroy', deletionProtection: false },
  },
};

/** Setting groups merged key by key; every other value (records such as `shops`) is replaced whole. */
const MERGED_GROUPS = new Set([
  'concurrency',
  'alarms',
  'throttle',
  'waf',
  'table',
  'activityLog',
  'tags',
  'reconciliation',
]);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Overlays `override` on `base`: groups merge one level deep (throttle two), everything else is replaced. */
const overlay = (
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> => {
  const result = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = result[key];
    if (MERGED_GROUPS.has(key) && isPlainObject(current) && isPlainObject(value)) {
      const merged: Record<string, unknown> = { ...current };
      for (const [inner, innerValue] of Object.entries(value)) {
        const currentInner = merged[inner];
        merged[inner] =
          isPlainObject(currentInner) && isPlainObject(innerValue)
            ? { ...currentInner, ...innerValue }
            : innerValue;
      }
      result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  return result;
};

/** Parses a string as JSON when it is JSON (a number, boolean, object, list); anything else stays a string. */
const parseIfJson = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const SETTING_KEYS: ReadonlySet<string> = new Set(Object.keys(ConnectorSettingsSchema.shape));

/**
 * The settings given as CDK context: a top-level key (`-c cioRegion=eu`, `-c alarms='{"email":"…"}'`) or one
 * field of a group (`-c alarms.email=ops@example.com`, `-c concurrency.process=20`).
 */
export const settingsFromContext = (context: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const settings: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(context)) {
    const [group, field, ...rest] = key.split('.');
    if (group === undefined || !SETTING_KEYS.has(group) || rest.length > 0) continue;
    const value = parseIfJson(raw);
    if (field === undefined) {
      settings[group] =
        isPlainObject(settings[group]) && isPlainObject(value) ? { ...settings[group], ...value } : value;
    } else {
      const existing = settings[group];
      settings[group] = { ...(isPlainObject(existing) ? existing : {}), [field]: value };
    }
  }
  return settings;
};

/** Where the settings come from, lowest precedence first after the stage defaults. */
export interface ConfigSources {
  /** The `stage` context value. @default 'dev' */
  readonly stage?: unknown;
  /** The parsed config file, if there is one. */
  readonly file?: unknown;
  /** All CDK context entries; unknown keys (feature flags and the like) are ignored. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Thrown when the configuration is invalid; the message lists every problem at once. */
export class ConnectorConfigError extends Error {
  override readonly name = 'ConnectorConfigError';
}

/**
 * Resolves the settings of a stage: stage defaults ← config file ← the file's `stages.<stage>` ← CDK context. Every
 * problem (a bad stage, a malformed file, each invalid setting) is reported together in one error.
 */
export const resolveConnectorConfig = (sources: ConfigSources): ConnectorConfig => {
  const problems: string[] = [];
  const stageValue = sources.stage ?? 'dev';
  const stage = STAGES.find((candidate) => candidate === stageValue);
  if (stage === undefined) {
    problems.push(
      `✖ stage must be one of ${STAGES.join(', ')} (got ${JSON.stringify(stageValue)})\n  → at stage`,
    );
  }
  const effectiveStage = stage ?? 'dev';

  let fileSettings: Record<string, unknown> = {};
  let fileStageSettings: Record<string, unknown> = {};
  if (sources.file !== undefined) {
    if (!isPlainObject(sources.file)) {
      problems.push('✖ the config file must hold a JSON object\n  → at config file');
    } else {
      const { stages, $schema: _schema, ...rest } = sources.file;
      fileSettings = rest;
      if (stages !== undefined) {
        const perStage = z.partialRecord(z.enum(STAGES), z.record(z.string(), z.unknown())).safeParse(stages);
        if (perStage.success) {
          fileStageSettings = perStage.data[effectiveStage] ?? {};
        } else {
          problems.push(`✖ stages must map dev/prod to objects of settings\n  → at stages`);
        }
      }
    }
  }

  const merged = [fileSettings, fileStageSettings, settingsFromContext(sources.context ?? {})].reduce(
    overlay,
    STAGE_DEFAULTS[effectiveStage] as Record<string, unknown>,
  );
  const result = ConnectorSettingsSchema.safeParse(merged);
  if (!result.success) problems.push(z.prettifyError(result.error));
  if (problems.length > 0 || !result.success) {
    throw new ConnectorConfigError(`Invalid connector configuration:\n${problems.join('\n')}`);
  }
  return { ...result.data, stage: effectiveStage };
};

/** The settings of a stage with overrides, as tests and other code build them. */
export const connectorConfig = (stage: Stage, overrides: Record<string, unknown> = {}): ConnectorConfig =>
  resolveConnectorConfig({ stage, file: overrides });
