import * as z from 'zod';

/**
 * The connector's secrets, stored as one JSON document (a Secrets Manager secret in AWS, inline JSON locally).
 * Every signing secret is a list so a secret can be rotated: the new one is added first, the old one removed
 * once the platform signs with the new one (Shopify takes up to an hour).
 */
export const ConnectorSecretsSchema = z.object({
  shopify: z.object({ clientSecrets: z.array(z.string().min(1)).min(1) }).optional(),
  recharge: z
    .object({
      clientSecrets: z.array(z.string().min(1)).min(1),
      /** Refuse deliveries signed only with the legacy (untimestamped) hash: replay protection. */
      requireTimestampedSignature: z.boolean().optional(),
    })
    .optional(),
  judgeme: z.object({ secrets: z.array(z.string().min(1)).min(1) }).optional(),
  okendo: z.object({ secrets: z.array(z.string().min(1)).min(1) }).optional(),
  stamped: z.object({ secrets: z.array(z.string().min(1)).min(1) }).optional(),
  /** URL tokens: the route only matches 8-128 URL-safe characters, so anything else would 404 every delivery. */
  yotpo: z
    .object({
      tokens: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, '8-128 characters of A-Z a-z 0-9 _ -'))
        .min(1),
    })
    .optional(),
  customerio: z
    .object({
      siteId: z.string().min(1),
      apiKey: z.string().min(1),
    })
    .optional(),
});
/** Parsed connector secrets. */
export type ConnectorSecrets = z.infer<typeof ConnectorSecretsSchema>;
