import type { PersonRef } from '../canonical/common.js';
import { DependencyError } from '../errors.js';
import { type IdentityConfig, isAnonymous, resolveIdentifiers } from '../identity/identifiers.js';
import { hashedEmail } from './identity-hash.js';
import { EMPTY_ROLLUP, mergeRollups, type RollupState } from './rollup.js';
import type { RollupStore, VersionedRollup } from './rollup-store.js';

/**
 * Which rollup an event updates. A person has one rollup, under the identifier the deployment addresses them by
 * (the customer id under `customer_id`, the email under `email`). An event naming only the other identifier (a
 * review names an email) must update that same rollup, and a guest's history (orders under their email) must join
 * their account's once they have one. So the first event naming both identifiers moves the other identifier's key
 * to the person's rollup: its history is merged in once, and from then on it redirects there.
 */

/** One identifier of a person and the rollup key it maps to. */
interface RollupIdentity {
  /** The identifier alone (`{ customer_id }` or `{ email }`). */
  readonly person: PersonRef;
  /** `<shop>#id:<customer id>` or `<shop>#email:<hash>` (emails hashed: keys hold no personal data). */
  readonly key: string;
}

/** The identities of an event's person: the one the deployment addresses them by, and the other when known. */
export interface RollupPerson {
  readonly primary: RollupIdentity;
  readonly secondary?: RollupIdentity;
}

/** How many times a conflicting rollup write is re-read and retried before the record is failed for a retry. */
const MAX_WRITE_ATTEMPTS = 5;

/** The rollup key of one Customer.io identifier. */
const rollupKey = (shop: string, identifiers: { id: string } | { email: string }): string =>
  `${shop}#${'id' in identifiers ? `id:${identifiers.id}` : `email:${hashedEmail(identifiers.email)}`}`;

/** The person a trusted statement bound an identifier to, from the identity graph (undefined when none). */
export type PersonLookup = (
  shop: string,
  kind: 'customer_id' | 'email',
  value: string,
) => Promise<PersonRef | undefined>;

/**
 * A person named only by the identifier the deployment does not address people by (a review names an email under
 * `customer_id`), completed with the one it does from the identity graph: the email a customer record or an order
 * bound to a customer id belongs to that customer's rollup, even if no rollup event named both yet (an email
 * changed in Shopify since the last order). One read; a person the graph does not know stays as named.
 */
export const withAddressedIdentifier = async (
  shop: string,
  person: PersonRef,
  identity: IdentityConfig,
  lookup: PersonLookup | undefined,
): Promise<PersonRef> => {
  if (!lookup) return person;
  const missing = identity.strategy === 'customer_id' ? 'customer_id' : 'email';
  const known = missing === 'customer_id' ? person.email : person.customer_id;
  if (person[missing] || !known) return person;
  const bound = await lookup(shop, missing === 'customer_id' ? 'email' : 'customer_id', known);
  const value = bound?.[missing];
  return value ? { ...person, [missing]: value } : person;
};

/** The rollup identities of a person, or undefined when Customer.io cannot address them (anonymous, unknown). */
export const rollupPerson = (
  shop: string,
  person: PersonRef,
  identity: IdentityConfig,
): RollupPerson | undefined => {
  const preferred = resolveIdentifiers(person, identity, shop);
  if (!preferred || isAnonymous(preferred)) return undefined;
  const of = (ref: PersonRef): RollupIdentity | undefined => {
    const identifiers = resolveIdentifiers(ref, identity, shop);
    return identifiers && !isAnonymous(identifiers)
      ? { person: ref, key: rollupKey(shop, identifiers) }
      : undefined;
  };
  const byId = person.customer_id ? of({ customer_id: person.customer_id }) : undefined;
  const byEmail = person.email ? of({ email: person.email }) : undefined;
  const [primary, secondary] = 'id' in preferred ? [byId, byEmail] : [byEmail, byId];
  if (!primary) return undefined;
  return secondary ? { primary, secondary } : { primary };
};

/** What an update did: the rollup it changed (after any redirect), its state and the version that state has. */
export interface RollupUpdate {
  readonly target: RollupIdentity;
  readonly state: RollupState;
  /** The version written (or read, when nothing changed): monotonic per key, it orders the identifies sent. */
  readonly version: number;
  readonly changed: boolean;
}

/** What updating a person's rollup needs. */
export interface RollupUpdateDeps {
  readonly store: RollupStore;
  /**
   * Called when a key starts redirecting, with the version that move wrote: identifies of that key older than it
   * must not reach Customer.io after the person's own (they would carry the guest's smaller figures).
   */
  readonly moved: (key: string, version: number) => Promise<void>;
}

/** The rollup a key stands for now: itself, or the one it was moved to (one hop: moves only point at primaries). */
const current = async (
  store: RollupStore,
  identity: RollupIdentity,
  firstRead?: Promise<VersionedRollup>,
): Promise<{ target: RollupIdentity; rollup: VersionedRollup }> => {
  const read = await (firstRead ?? store.read(identity.key));
  if (!read.moved) return { target: identity, rollup: read };
  const target = read.moved.to;
  return { target, rollup: await store.read(target.key) };
};

/**
 * Points the secondary key at the person's rollup and returns the history to merge into it: the key's own history
 * when it was never moved (a guest's), nothing when another rollup already took it (an email reused by another
 * account). Idempotent: a retry after a crash finds the move done and returns the same history.
 */
const moveSecondary = async (
  deps: RollupUpdateDeps,
  secondary: RollupIdentity,
  target: RollupIdentity,
): Promise<RollupState> => {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const stored = await deps.store.read(secondary.key);
    if (stored.moved?.to.key === target.key) {
      await deps.moved(secondary.key, stored.version);
      return stored.moved.heldFor === target.key ? stored.state : EMPTY_ROLLUP;
    }
    if (await deps.store.move(secondary.key, { key: target.key, person: target.person }, stored)) {
      await deps.moved(secondary.key, stored.version + 1);
      return stored.moved ? EMPTY_ROLLUP : stored.state;
    }
  }
  throw new DependencyError(
    `rollup key kept changing under ${MAX_WRITE_ATTEMPTS} attempts; retrying the record`,
    'dynamodb',
  );
};

/**
 * Read-modify-write of a person's rollup with optimistic locking: follows a moved key, merges the secondary key's
 * history in once (recorded in the same conditional write as the change), applies `change`. `changed` is false
 * when the event was already applied. `firstRead` is a read of the primary key already under way (the stage starts
 * it beside another write); only the first attempt uses it.
 */
export const updatePersonRollup = async (
  deps: RollupUpdateDeps,
  who: RollupPerson,
  change: (state: RollupState) => RollupState,
  firstRead?: Promise<VersionedRollup>,
): Promise<RollupUpdate> => {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const { target, rollup } = await current(deps.store, who.primary, attempt === 0 ? firstRead : undefined);
    let base = rollup.state;
    const { secondary } = who;
    if (secondary && target.key === who.primary.key && !base.absorbed?.includes(secondary.key)) {
      base = mergeRollups(base, await moveSecondary(deps, secondary, target), secondary.key);
    }
    const next = change(base);
    if (next === rollup.state) {
      return { target, state: rollup.state, version: rollup.version, changed: false };
    }
    if (await deps.store.write(target.key, next, rollup.version)) {
      return { target, state: next, version: rollup.version + 1, changed: true };
    }
  }
  // Contention, not a defect: transient, so the record is retried after a backoff rather than parked.
  throw new DependencyError(
    `rollup for a person kept changing under ${MAX_WRITE_ATTEMPTS} attempts; retrying the record`,
    'dynamodb',
  );
};

/**
 * Every rollup key a person's data lives under, for a redact: the person's own keys and the keys merged into their
 * rollup (a guest history under an email they no longer use). One read.
 */
export const rollupKeysOf = async (store: RollupStore, who: RollupPerson): Promise<string[]> => {
  const own = [who.primary.key, ...(who.secondary ? [who.secondary.key] : [])];
  const { state } = await store.read(who.primary.key);
  return [...new Set([...own, ...(state.absorbed ?? [])])];
};
