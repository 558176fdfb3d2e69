import * as z from 'zod';
import { DeliverEnvSchema, ProcessEnvSchema } from '../shared/config/env.js';
import { ShopsConfigSchema } from '../shared/config/shops.js';

/** Parses a string as JSON when it is JSON; anything else is left for the schema to reject. */
const parseIfJson = (value: unknown): unknown => {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};

const SecretArnSchema = z.string().regex(/^arn:aws[\w-]*:secretsmanager:/, 'a Secrets Manager secret ARN');

/**
 * The app's context (`cdk synth -c cioRegion=eu`), validated with the Lambdas' own env schemas so a bad value
 * fails the synth instead of the first invocation.
 */
const ConnectorContextSchema = z.object({
  cioRegion: DeliverEnvSchema.shape.CIO_REGION,
  identifierStrategy: ProcessEnvSchema.shape.IDENTIFIER_STRATEGY,
  existingWebhookSecretArn: SecretArnSchema.optional(),
  existingDestinationSecretArn: SecretArnSchema.optional(),
  // An object in cdk.json, a JSON string on the command line: -c shops='{"<shop>.myshopify.com":{…}}'.
  shops: z.preprocess(parseIfJson, ShopsConfigSchema).optional(),
});
/** Validated app context. */
export type ConnectorContext = z.infer<typeof ConnectorContextSchema>;

/** Reads the context keys with `tryGetContext` and validates them, throwing one error listing every problem. */
export const readConnectorContext = (tryGetContext: (key: string) => unknown): ConnectorContext => {
  const keys = Object.keys(ConnectorContextSchema.shape) as (keyof ConnectorContext)[];
  const result = ConnectorContextSchema.safeParse(
    Object.fromEntries(keys.map((key) => [key, tryGetContext(key)])),
  );
  if (!result.success) {
    throw new Error(`Invalid CDK context:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
};
