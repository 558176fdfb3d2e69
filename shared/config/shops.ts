import * as z from 'zod';

/*
 * Shops are configuration: the connector serves the shops listed in `SHOPS` and nothing else. A shop's canonical
 * name is its `<name>.myshopify.com` domain, normalized (lower case, trimmed, no trailing dot); every key the
 * connector writes starts from that form, so `Demo.myshopify.com.` and `demo.myshopify.com` are one shop.
 */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MYSHOPIFY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * The canonical form of a host name: trimmed, lower case, one trailing dot removed. Undefined for anything that is
 * not a plain DNS name of at least two labels (ports, paths, spaces inside, non-ASCII, empty labels).
 */
export const normalizeDomain = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase().replace(/\.$/, '');
  if (value.length === 0 || value.length > 253) return undefined;
  const labels = value.split('.');
  return labels.length >= 2 && labels.every((label) => LABEL.test(label)) ? value : undefined;
};

/** Whether a normalized domain is a Shopify shop domain (`<name>.myshopify.com`). */
const isMyshopifyDomain = (domain: string): boolean => MYSHOPIFY.test(domain);

/** A shop's canonical `<name>.myshopify.com` domain (see {@link normalizeDomain}); undefined for anything else. */
export const canonicalShop = (raw: string): string | undefined => {
  const domain = normalizeDomain(raw);
  return domain !== undefined && isMyshopifyDomain(domain) ? domain : undefined;
};

/** A host name, normalized; refused when it is not one. */
const DomainSchema = z.string().transform((value, ctx) => {
  const domain = normalizeDomain(value);
  if (domain === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a domain name` });
    return z.NEVER;
  }
  return domain;
});

/** A shop's canonical domain (`<name>.myshopify.com`), normalized. */
export const ShopDomainSchema = DomainSchema.refine(isMyshopifyDomain, 'a <name>.myshopify.com domain');

/** `null` is the opaque origin a sandboxed iframe or worker sends (Shopify runs custom pixels in a sandbox). */
const OriginSchema = z.literal('null').or(
  z
    .string()
    .refine(
      (value) => URL.canParse(value) && new URL(value).origin === value,
      'an origin like https://shop.example',
    )
    .refine(
      (value) => value.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(value),
      'https (plain http only for 127.0.0.1 and localhost)',
    ),
);

/** Storefront beacon settings of a shop: a public (not secret) key and the browser origins allowed to post. */
const StorefrontSchema = z.strictObject({
  publicKey: z.string().regex(/^pk_[A-Za-z0-9_-]{8,128}$/, 'pk_ followed by 8-128 URL-safe characters'),
  origins: z.array(OriginSchema).min(1),
});

/** The settings of one shop. */
const ShopSettingsSchema = z.strictObject({
  /** Storefront beacons (`/collect`); without it the shop's beacons are refused. */
  storefront: StorefrontSchema.optional(),
  /** Default country (ISO 3166 alpha-2) of phone numbers written without a country code. */
  phoneCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 country code')
    .optional(),
  /** The Customer.io workspace (a name in the destination secret) the shop's people and events go to. */
  workspace: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 characters of A-Z a-z 0-9 _ -')
    .default('default'),
  /**
   * Prepended to the shop's Shopify customer ids in Customer.io, so shops sharing a workspace keep their
   * customers apart (`uk-` + 123 vs `us-` + 123). Empty: Shopify's id as is.
   */
  customerIdPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{0,64}$/, 'up to 64 characters of A-Z a-z 0-9 _ . : -')
    .default(''),
  /**
   * Other domains the shop is known by (its storefront's custom domain), for platforms that name the shop by the
   * domain shoppers see (e.g. Stamped's `X-Stamped-Store-Url`). Shopify itself always sends the myshopify domain.
   */
  customDomains: z.array(DomainSchema).max(20).default([]),
});
/** Validated settings of one shop. */
type ShopSettings = z.infer<typeof ShopSettingsSchema>;

const normalizeKeys = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, settings]) => [normalizeDomain(key) ?? key, settings]),
  );
};

const duplicateKeys = (value: unknown): string[] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const seen = new Map<string, number>();
  for (const key of Object.keys(value)) {
    const normalized = normalizeDomain(key) ?? key;
    seen.set(normalized, (seen.get(normalized) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([key]) => key);
};

/**
 * `SHOPS`: shop domain → its settings. Keys are normalized (a key written twice in two spellings is refused), and
 * a custom domain may name one shop only.
 */
export const ShopsConfigSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    for (const key of duplicateKeys(value)) {
      ctx.addIssue({ code: 'custom', message: `shop ${key} is listed twice (keys are normalized)` });
    }
  })
  .transform(normalizeKeys)
  .pipe(z.record(ShopDomainSchema, ShopSettingsSchema))
  .superRefine((shops, ctx) => {
    const owners = new Map<string, string>(Object.keys(shops).map((shop) => [shop, shop]));
    for (const [shop, settings] of Object.entries(shops)) {
      for (const domain of settings.customDomains) {
        const owner = owners.get(domain);
        if (owner !== undefined && owner !== shop) {
          ctx.addIssue({
            code: 'custom',
            path: [shop, 'customDomains'],
            message: `${domain} already names ${owner}: a domain may name one shop only`,
          });
        }
        owners.set(domain, shop);
      }
    }
  });
/** Validated shops configuration. */
export type ShopsConfig = z.infer<typeof ShopsConfigSchema>;

/** Lookups over the configured shops. */
export interface ShopDirectory {
  /**
   * The configured shop a domain names (its myshopify domain or one of its custom domains), after normalization;
   * undefined for anything else.
   */
  resolve(domain: string | undefined): string | undefined;
  /** A configured shop's settings. */
  settings(shop: string): ShopSettings | undefined;
  /** Every configured shop domain. */
  readonly shops: readonly string[];
}

/** Builds the directory of a validated configuration. */
export const shopDirectory = (config: ShopsConfig): ShopDirectory => {
  const byDomain = new Map<string, string>();
  for (const [shop, settings] of Object.entries(config)) {
    byDomain.set(shop, shop);
    for (const domain of settings.customDomains) byDomain.set(domain, shop);
  }
  return {
    resolve: (domain) => {
      const normalized = normalizeDomain(domain);
      return normalized === undefined ? undefined : byDomain.get(normalized);
    },
    settings: (shop) => (Object.hasOwn(config, shop) ? config[shop] : undefined),
    shops: Object.keys(config),
  };
};
