import { createHash } from 'node:crypto';

/**
 * A stable, non-reversible stand-in for an email in storage keys, so bookkeeping items (rollups, version guards,
 * cart-recovery person records) hold no personal data in their keys. Lower-cased first: emails match without case.
 */
export const hashedEmail = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
