import * as z from 'zod';
import { DeliverEnvSchema, ProcessEnvSchema } from '../../shared/config/env.js';
import { ShopsConfigSchema } from '../../shared/config/shops.js';
import { ReconcileEnvSchema } from '../../shared/config/sync-env.js';

/** Deployment stages: separate stacks (and resources) in one account. */
export const STAGES = ['dev', 'prod'] as const;
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
export const ConnectorSettingsSchema = z
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
export type ConnectorSettings = z.infer<typeof ConnectorSettingsSchema>;

/** Settings as a config file, context or the defaults give them, before validation. */
export type SettingsInput = z.input<typeof ConnectorSettingsSchema>;
