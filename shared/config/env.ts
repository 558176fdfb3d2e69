import * as z from 'zod';

/**
 * Environment contracts, one schema per Lambda. The handler validates `process.env` once at cold start; the CDK
 * constructs and the local stack build the same variables, so a missing or malformed value fails at the edge.
 */

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Optional endpoint overrides: set only by the local stack and tests (dynalite, fauxqs, local scheduler). */
const EndpointOverridesSchema = z.object({
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  SQS_ENDPOINT: z.url().optional(),
  SCHEDULER_ENDPOINT: z.url().optional(),
});

/** Where the connector's secrets live: a Secrets Manager secret (AWS) or inline JSON (local stack only). */
const SecretsSourceSchema = z
  .object({
    SECRETS_ARN: z.string().min(1).optional(),
    LOCAL_SECRETS_JSON: z.string().min(2).optional(),
    SECRETS_CACHE_SECONDS: positiveInt(300),
  })
  .refine((env) => env.SECRETS_ARN !== undefined || env.LOCAL_SECRETS_JSON !== undefined, {
    message: 'set SECRETS_ARN (Secrets Manager) or LOCAL_SECRETS_JSON (local stack)',
  });

/** Environment of the `ingest` Lambda (API Gateway HTTP API → inbox queue). */
export const IngestEnvSchema = z.object({
  ...EndpointOverridesSchema.shape,
  ...SecretsSourceSchema.shape,
  INBOX_QUEUE_URL: z.string().min(1),
  /** Largest webhook body accepted, in bytes; SQS takes 1 MiB per message and the envelope adds overhead. */
  MAX_BODY_BYTES: positiveInt(512 * 1024),
  /** Largest storefront beacon accepted, in bytes. */
  MAX_BEACON_BYTES: positiveInt(16 * 1024),
});
/** Validated `ingest` environment. */
export type IngestEnv = z.infer<typeof IngestEnvSchema>;

/** Environment of the `process` Lambda (inbox queue → normalize, dedupe → outbox queue). */
export const ProcessEnvSchema = z.object({
  ...EndpointOverridesSchema.shape,
  TABLE_NAME: z.string().min(1),
  OUTBOX_QUEUE_URL: z.string().min(1),
  /** The inbox DLQ: permanently bad (but signed) deliveries are parked here at once, with their reason. */
  INBOX_DLQ_URL: z.string().min(1),
  IDENTIFIER_STRATEGY: z.enum(['customer_id', 'email']).default('customer_id'),
  /** Optional prefix for customer ids when several shops share one Customer.io workspace. */
  CUSTOMER_ID_PREFIX: z.string().default(''),
  /** How long a dedupe claim is held before another worker may take it over (crash recovery). */
  DEDUPE_LEASE_SECONDS: positiveInt(120),
  /** How long completed dedupe records are kept (Shopify retries for 4 h, Recharge for 48 h). */
  DEDUPE_RETENTION_DAYS: positiveInt(30),
});
/** Validated `process` environment. */
export type ProcessEnv = z.infer<typeof ProcessEnvSchema>;

/** Environment of the `deliver` Lambda (outbox queue → Customer.io Track API). */
export const DeliverEnvSchema = z.object({
  ...EndpointOverridesSchema.shape,
  ...SecretsSourceSchema.shape,
  CIO_REGION: z.enum(['us', 'eu']).default('us'),
  /** Override of the Track API base URL (local capture server, tests). */
  CIO_TRACK_URL: z.url().optional(),
  /** JSON object renaming canonical events, e.g. {"Added to Cart":"Product Added"}. */
  EVENT_NAME_OVERRIDES: z.string().default('{}'),
  CIO_TIMEOUT_MS: positiveInt(8_000),
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
