import * as z from 'zod';
import { canonicalShop } from './shops.js';

/*
 * The Admin API secret (env ADMIN_SECRETS_ARN): per shop, the credentials backfill and reconciliation read the
 * platforms' APIs with. Only those two read it; ingest, process and deliver never see an Admin API token.
 */

const ShopKeySchema = z.string().transform((value, ctx) => {
  const shop = canonicalShop(value);
  if (shop === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a <name>.myshopify.com domain` });
    return z.NEVER;
  }
  return shop;
});

const Token = z.string().trim().min(1);

/** One shop's Admin API credentials, per platform it uses. */
const ShopAdminSecretsSchema = z.strictObject({
  /** A Shopify Admin API access token of the shop's app (custom app: `shpat_…`), scopes in docs/backfill.md. */
  shopify: z.strictObject({ adminAccessToken: Token }).optional(),
  /** A Recharge API token (read scopes for customers, subscriptions, charges; webhooks to re-create them). */
  recharge: z.strictObject({ apiToken: Token }).optional(),
  /** Judge.me's private API token (reviews with reviewer emails). */
  judgeme: z.strictObject({ apiToken: Token }).optional(),
});
/** One shop's Admin API credentials. */
export type ShopAdminSecrets = z.infer<typeof ShopAdminSecretsSchema>;

/** Shops written twice in two spellings (`A.myshopify.com` and `a.myshopify.com.`): refused, not merged. */
const twiceListed = (value: unknown): string[] => {
  if (typeof value !== 'object' || value === null) return [];
  const shops = (value as { shops?: unknown }).shops;
  if (typeof shops !== 'object' || shops === null) return [];
  const seen = new Map<string, number>();
  for (const key of Object.keys(shops)) {
    const shop = canonicalShop(key) ?? key;
    seen.set(shop, (seen.get(shop) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([shop]) => shop);
};

/** `{ "shops": { "<shop>.myshopify.com": { "shopify": {…}, "recharge": {…}, "judgeme": {…} } } }`. */
export const AdminSecretsSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    for (const shop of twiceListed(value)) {
      ctx.addIssue({ code: 'custom', message: `shop ${shop} is listed twice (keys are normalized)` });
    }
  })
  .pipe(z.strictObject({ shops: z.record(ShopKeySchema, ShopAdminSecretsSchema).default({}) }));
/** The Admin API secret document. */
export type AdminSecrets = z.infer<typeof AdminSecretsSchema>;

/** The credentials of one shop (its domain normalized first); undefined when the document has none. */
export const adminSecretsFor = (document: AdminSecrets, shop: string): ShopAdminSecrets | undefined => {
  const key = canonicalShop(shop);
  return key !== undefined && Object.hasOwn(document.shops, key) ? document.shops[key] : undefined;
};
