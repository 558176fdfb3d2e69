import * as z from 'zod';
import { DeliverEnvSchema, ProcessEnvSchema, StorefrontShopsSchema } from '../shared/config/env.js';

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

/**
 * The app's context (`cdk synth -c cioRegion=eu`), validated with the Lambdas' own env schemas so a bad value
 * fails the synth instead of the first invocation.
 */
const ConnectorContextSchema = z.object({
  cioRegion: DeliverEnvSchema.shape.CIO_REGION,
  identifierStrategy: ProcessEnvSchema.shape.IDENTIFIER_STRATEGY,
  existingSecretArn: z
    .string()
    .regex(/^arn:aws[\w-]*:secretsmanager:/, 'a Secrets Manager secret ARN')
    .optional(),
  // An object in cdk.json, a JSON string on the command line: -c storefrontShops='{"<shop>.myshopify.com":{…}}'.
  storefrontShops: z.preprocess(parseIfJson, StorefrontShopsSchema).optional(),
  // Same forms: -c phoneDefaultCountries='{"*":"US","uk-shop.myshopify.com":"GB"}'.
  phoneDefaultCountries: z
    .preprocess(parseIfJson, z.record(z.string().min(1), z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2')))
    .optional(),
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
