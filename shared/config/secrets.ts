import * as z from 'zod';
import { ShopDomainSchema } from './shops.js';

/*
 * Two secret documents, so each function reads only what it needs: the webhook-verification secret (ingest) and
 * the destination secret (deliver). Every signing secret is a list so it can be rotated: the new one is added
 * first, the old one removed once the platform signs with the new one (Shopify takes up to an hour).
 */

const SecretList = z.array(z.string().min(1)).min(1);

/** URL tokens: the route only matches 8-128 URL-safe characters, so anything else would 404 every delivery. */
const UrlToken = z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, '8-128 characters of A-Z a-z 0-9 _ -');

/** The webhook secrets of one shop, per platform it uses. */
const ShopWebhookSecretsSchema = z.strictObject({
  shopify: z.strictObject({ clientSecrets: SecretList }).optional(),
  recharge: z
    .strictObject({
      clientSecrets: SecretList,
      /** Refuse deliveries signed only with the legacy (untimestamped, extendable) hash. */
      requireTimestampedSignature: z.boolean().optional(),
    })
    .optional(),
  judgeme: z.strictObject({ secrets: SecretList }).optional(),
  okendo: z
    .strictObject({
      secrets: SecretList,
      /** The shop's Okendo store id: the signed payload's `resource.subscriberId` must equal it. */
      subscriberId: z.string().min(1),
    })
    .optional(),
  stamped: z.strictObject({ secrets: SecretList }).optional(),
  yotpo: z
    .strictObject({
      tokens: z.array(UrlToken).min(1),
      /** The shop's Yotpo app key: the payload's `data.app_key` must equal it. */
      appKey: z.string().min(1),
    })
    .optional(),
});
/** One shop's webhook secrets. */
export type ShopWebhookSecrets = z.infer<typeof ShopWebhookSecretsSchema>;

/** A platform whose webhooks the connector verifies. */
export type WebhookPlatform = keyof ShopWebhookSecrets;

/** Every platform a shop can have webhook secrets for (its `/webhooks/<platform>` route). */
export const WEBHOOK_PLATFORMS = Object.keys(ShopWebhookSecretsSchema.shape) as WebhookPlatform[];

/** Values that must belong to one shop only, per platform, and why (the platform binds nothing else to the shop). */
const UNIQUE_PER_SHOP: readonly {
  platform: WebhookPlatform;
  values: (secrets: ShopWebhookSecrets) => readonly string[];
  what: string;
}[] = [
  { platform: 'shopify', values: (s) => s.shopify?.clientSecrets ?? [], what: 'Shopify client secret' },
  { platform: 'recharge', values: (s) => s.recharge?.clientSecrets ?? [], what: 'Recharge client secret' },
  { platform: 'stamped', values: (s) => s.stamped?.secrets ?? [], what: 'Stamped secret' },
  { platform: 'yotpo', values: (s) => s.yotpo?.tokens ?? [], what: 'Yotpo URL token' },
  { platform: 'okendo', values: (s) => (s.okendo ? [s.okendo.subscriberId] : []), what: 'Okendo store id' },
];

/**
 * The webhook-verification secret (read by ingest only), keyed by shop. A secret verifies deliveries for its own
 * shop only. Where the platform names the shop outside the signed bytes (a header, the URL), that secret must not
 * be listed for a second shop: a captured delivery could otherwise be replayed as the other shop's. Judge.me
 * signs the shop inside the body, so an OAuth app secret shared by shops is allowed there.
 */
export const WebhookSecretsSchema = z
  .strictObject({ shops: z.record(ShopDomainSchema, ShopWebhookSecretsSchema).default({}) })
  .superRefine((document, ctx) => {
    for (const rule of UNIQUE_PER_SHOP) {
      const owner = new Map<string, string>();
      for (const [shop, secrets] of Object.entries(document.shops)) {
        for (const value of rule.values(secrets)) {
          const first = owner.get(value);
          if (first !== undefined && first !== shop) {
            ctx.addIssue({
              code: 'custom',
              path: ['shops', shop, rule.platform],
              message: `a ${rule.what} of ${shop} is also listed for ${first}: it must belong to one shop`,
            });
          }
          owner.set(value, shop);
        }
      }
    }
  });
/** Parsed webhook-verification secrets. */
export type WebhookSecrets = z.infer<typeof WebhookSecretsSchema>;

/** Customer.io Track API credentials of one workspace. */
const WorkspaceSchema = z.strictObject({
  siteId: z.string().min(1),
  apiKey: z.string().min(1),
  /** The workspace's data centre, when it differs from the deployment's CIO_REGION. */
  region: z.enum(['us', 'eu']).optional(),
});
/**
 * The destination secret (read by deliver only): Customer.io workspaces by name. Which shop goes to which
 * workspace is configuration (`SHOPS[shop].workspace`, default `default`).
 */
export const DestinationSecretsSchema = z.strictObject({
  workspaces: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), WorkspaceSchema).default({}),
});
/** Parsed destination secrets. */
export type DestinationSecrets = z.infer<typeof DestinationSecretsSchema>;
