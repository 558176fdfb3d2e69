import { createHash } from 'node:crypto';
import type { PersonRef } from '../canonical/common.js';
import { hashedEmail } from '../people/identity-hash.js';

/**
 * Whose timeline an activity entry belongs to, as one partition of the table per shop and subject:
 * `customer:<id>` (a Shopify customer), `email:<hash>` (a guest known by email only: the hash, never the address),
 * `anon:<id>` (a storefront browser not yet merged into anyone), `cart:<key>` or `checkout:<token>` (cart activity
 * of nobody known yet), `order:<id>` (an order's delivery whose buyer is not known yet, e.g. a refund before its
 * order). A person's timeline is their customer and email partitions plus the partitions of the
 * browsers and carts linked to them, each read with one Query.
 */
export type SubjectKind = 'customer' | 'email' | 'anon' | 'cart' | 'checkout' | 'order';

/** Longest value kept readable in a key; longer ones (never seen from real platforms) are hashed. */
const MAX_VALUE_CHARS = 300;

const keyValue = (value: string): string =>
  value.length <= MAX_VALUE_CHARS
    ? value
    : `sha256-${createHash('sha256').update(value).digest('hex').slice(0, 40)}`;

/** The subject of one identifier. */
export const subjectOf = (kind: SubjectKind, value: string): string =>
  kind === 'email' ? `email:${hashedEmail(value)}` : `${kind}:${keyValue(value)}`;

/** The subject a person is filed under: customer id first, else the email's hash, else the browser. */
export const subjectOfPerson = (person: PersonRef | undefined): string | undefined => {
  if (!person) return undefined;
  if (person.customer_id) return subjectOf('customer', person.customer_id);
  if (person.email) return subjectOf('email', person.email);
  if (person.anonymous_id) return subjectOf('anon', person.anonymous_id);
  return undefined;
};

/** Splits a subject into its kind and value (the value of an email subject is its hash). */
export const parseSubject = (subject: string): { kind: SubjectKind; value: string } | undefined => {
  const colon = subject.indexOf(':');
  const kind = subject.slice(0, colon);
  if (colon <= 0 || !['customer', 'email', 'anon', 'cart', 'checkout', 'order'].includes(kind))
    return undefined;
  return { kind: kind as SubjectKind, value: subject.slice(colon + 1) };
};
