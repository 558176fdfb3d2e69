import * as z from 'zod';
import type { PersonRef } from '../canonical/common.js';

/** Which identifier addresses a person in Customer.io. */
export type IdentifierStrategy = 'customer_id' | 'email';

/** Customer.io person identifiers: exactly one of id or email (Track API v2 rule). */
export const CioIdentifiersSchema = z.union([
  z.strictObject({ id: z.string().min(1) }),
  z.strictObject({ email: z.string().min(1) }),
]);
/** Customer.io person identifiers. */
export type CioIdentifiers = z.infer<typeof CioIdentifiersSchema>;

/** Identity settings of a deployment. */
export interface IdentityConfig {
  readonly strategy: IdentifierStrategy;
  /** Prepended to Shopify customer ids when several shops share one workspace. */
  readonly customerIdPrefix: string;
}

/**
 * Picks the Customer.io identifier for a person: the configured strategy first, the other known identifier as
 * the fallback (a guest checkout has an email but no customer id). Undefined when the person is unknown.
 */
export const resolveIdentifiers = (person: PersonRef, config: IdentityConfig): CioIdentifiers | undefined => {
  const byId = person.customer_id ? { id: `${config.customerIdPrefix}${person.customer_id}` } : undefined;
  const byEmail = person.email ? { email: person.email } : undefined;
  return config.strategy === 'customer_id' ? (byId ?? byEmail) : (byEmail ?? byId);
};
