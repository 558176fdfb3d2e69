import * as z from 'zod';
import type { PersonRef } from '../canonical/common.js';

/** Which identifier addresses a person in Customer.io. */
type IdentifierStrategy = 'customer_id' | 'email';

/**
 * Customer.io person identifiers: exactly one of id or email (Track API v2 rule), or an anonymous id for events of a
 * browser not yet linked to a person (sent through Track v1 `POST /api/v1/events`, merged on a later identify).
 */
export const CioIdentifiersSchema = z.union([
  z.strictObject({ id: z.string().min(1) }),
  z.strictObject({ email: z.string().min(1) }),
  z.strictObject({ anonymous_id: z.string().min(1) }),
]);
/** Customer.io person identifiers. */
export type CioIdentifiers = z.infer<typeof CioIdentifiersSchema>;

/** Identity settings of a deployment. */
export interface IdentityConfig {
  readonly strategy: IdentifierStrategy;
  /**
   * Prepended to a shop's Shopify customer ids (SHOPS `customerIdPrefix`), so shops sharing one workspace keep
   * their customers apart: one prefix for every shop, or the prefix of each shop.
   */
  readonly customerIdPrefix: string | ((shop: string) => string);
}

/** The identity settings of a shops configuration: its customer-id prefixes, '' for a shop without one. */
export const identityConfig = (
  strategy: IdentifierStrategy,
  shops: Readonly<Record<string, { readonly customerIdPrefix: string }>>,
): IdentityConfig => ({
  strategy,
  customerIdPrefix: (shop) => (Object.hasOwn(shops, shop) ? (shops[shop]?.customerIdPrefix ?? '') : ''),
});

/**
 * Picks the Customer.io identifier for a person of a shop: the configured strategy first, the other known
 * identifier as the fallback (a guest checkout has an email but no customer id), then the anonymous id of a
 * storefront browser. Undefined when the person is unknown.
 */
export const resolveIdentifiers = (
  person: PersonRef,
  config: IdentityConfig,
  shop: string,
): CioIdentifiers | undefined => {
  const prefix =
    typeof config.customerIdPrefix === 'string' ? config.customerIdPrefix : config.customerIdPrefix(shop);
  const byId = person.customer_id ? { id: `${prefix}${person.customer_id}` } : undefined;
  const byEmail = person.email ? { email: person.email } : undefined;
  const known = config.strategy === 'customer_id' ? (byId ?? byEmail) : (byEmail ?? byId);
  return known ?? (person.anonymous_id ? { anonymous_id: person.anonymous_id } : undefined);
};

/** Whether identifiers address an anonymous browser rather than a person (events only; no identify or delete). */
export const isAnonymous = (identifiers: CioIdentifiers): identifiers is { anonymous_id: string } =>
  'anonymous_id' in identifiers;
