import * as z from 'zod';

/**
 * Placeholder for the shops configuration of CONTRACTS.md ("Shops are configuration"). The real schema
 * (ShopsConfigSchema) belongs to shared/config/ and is written by the security work; until it lands this one only
 * checks the outline — shop domains as keys, each an object with the documented optional fields — and lets any
 * other field through, so the CDK app passes the JSON on unchanged as env `SHOPS`.
 */
export const ShopsConfigPlaceholderSchema = z.record(
  z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/,
      'a normalized <shop>.myshopify.com domain (lower case, no trailing dot)',
    ),
  z.looseObject({
    storefront: z.looseObject({ publicKey: z.string().min(1), origins: z.array(z.string()) }).optional(),
    phoneCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2')
      .optional(),
    workspace: z.string().min(1).optional(),
    customerIdPrefix: z.string().optional(),
  }),
);
