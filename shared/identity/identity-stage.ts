import type { PersonRef } from '../canonical/common.js';
import type { CanonicalEventDraft } from '../canonical/events.js';
import type { PersonUpdate, ProfileMerge } from '../canonical/person.js';
import { PersonUnresolvedError } from '../errors.js';
import { deliveryKeyOf, type WebhookEnvelope } from '../ingest/envelope.js';
import type { Normalized } from '../normalize/normalizer.js';
import { hashedEmail } from '../people/identity-hash.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { ProcessStage } from '../process/process-stage.js';
import { collapseLinks, DeliveryReads } from './delivery-reads.js';
import {
  type ContactForgottenSignal,
  type IdentityLinkSignal,
  identityLink,
  identityLinks,
  type LinkedIdentifiers,
} from './identity-signal.js';
import {
  type IdentityStore,
  isAddressable,
  type KnownPerson,
  type PersonIdentifierKind,
  type TokenKind,
} from './identity-store.js';

/** The one merge identify per shop and anonymous id, whichever delivery reveals the person first. */
export const mergeKey = (shop: string, anonymousId: string): string => `merge#${shop}#${anonymousId}`;

const PERSON_KINDS: readonly PersonIdentifierKind[] = [
  'customer_id',
  'email',
  'phone',
  'recharge_customer_id',
  'checkout_token',
  'cart_token',
];
const TOKEN_KINDS: readonly TokenKind[] = ['cart_token', 'checkout_token'];
/** Identifiers that may complete a person who arrives without customer id or email, in order of trust. */
const LOOKUP_KINDS: readonly PersonIdentifierKind[] = [
  'recharge_customer_id',
  'phone',
  'checkout_token',
  'cart_token',
];

const knownPersonOf = (ids: LinkedIdentifiers | PersonRef): KnownPerson => {
  const person: Record<string, string> = {};
  if (ids.customer_id) person.customer_id = ids.customer_id;
  if (ids.email) person.email = ids.email.trim().toLowerCase();
  if (ids.phone) person.phone = ids.phone;
  if (ids.recharge_customer_id) person.recharge_customer_id = ids.recharge_customer_id;
  return person;
};

const tokensOf = (ids: LinkedIdentifiers): [TokenKind, string][] =>
  TOKEN_KINDS.flatMap((kind) => {
    const token = ids[kind];
    return token ? [[kind, token] as [TokenKind, string]] : [];
  });

/**
 * The one token a beacon attaches its browser to: the checkout token when it names one (every order carries it),
 * else the cart token. An order reads both of its tokens, so one attachment is enough, and a beacon costs one
 * write whatever it names.
 */
const beaconToken = (ids: LinkedIdentifiers): [TokenKind, string] | undefined =>
  ids.checkout_token
    ? ['checkout_token', ids.checkout_token]
    : ids.cart_token
      ? ['cart_token', ids.cart_token]
      : undefined;

/** Limits of the identity stage. */
export interface IdentityStageOptions {
  /** Browser merges one delivery may make; the rest are skipped and counted (`AnonymousMergesCapped`). */
  readonly maxMergesPerDelivery: number;
}

const DEFAULT_OPTIONS: IdentityStageOptions = { maxMergesPerDelivery: 10 };

const stringProperty = (properties: unknown, name: string): string | undefined => {
  const value = (properties as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * Trusted links a signed delivery states through its outputs even when its normalizer emits no link signal: the
 * person of an event with the cart and checkout tokens in its properties, and the identifiers of an identify.
 */
const impliedLinks = (output: Normalized): IdentityLinkSignal[] => [
  ...output.events.flatMap((event) =>
    isAddressable(knownPersonOf(event.person))
      ? [
          identityLink(
            true,
            {
              ...knownPersonOf(event.person),
              cart_token: stringProperty(event.properties, 'cart_id'),
              checkout_token: stringProperty(event.properties, 'checkout_id'),
            },
            event.occurred_at,
          ),
        ]
      : [],
  ),
  ...output.people.flatMap((update) =>
    isAddressable(knownPersonOf(update.person))
      ? [identityLink(true, knownPersonOf(update.person), update.occurred_at)]
      : [],
  ),
];

/** Identifiers Customer.io addresses a person by, plus the others already known. */
const refOf = (person: KnownPerson): PersonRef => ({ ...person });

/** The key of the one explicit merge of a guest profile (email) into an account (customer id); no contact data. */
const profileMergeKey = (shop: string, person: KnownPerson): string =>
  `merge-profiles#${shop}#email:${hashedEmail(person.email ?? '')}#customer_id:${person.customer_id}`;

/**
 * Identity stitching. Trusted links (signed sources) bind known identifiers and tokens to a person; untrusted ones
 * (storefront beacons) only attach an anonymous id to one cart or checkout token (at most the per-token cap of
 * browsers; `AnonymousIdsCapped`). When a person owns a token with attached anonymous ids, each of them gets one
 * merge identify (`anonymous_id` attribute), sent by the delivery whose statement bound it, at most
 * `maxMergesPerDelivery` per delivery, and from then on resolves to the person. A beacon only ever merges its own
 * browser, so its work never grows with other browsers' activity. Outputs whose person is incomplete are
 * enriched; a Recharge-only person nobody can resolve parks the delivery (`person_unresolved`) for a redrive. A
 * signed privacy deletion forgets every item bound to the person. Idempotent: conditional writes and
 * deterministic merge keys.
 */
export const identityStage = (
  store: IdentityStore,
  telemetry: Telemetry,
  options: IdentityStageOptions = DEFAULT_OPTIONS,
): ProcessStage => ({
  name: 'identity',
  async apply(output: Normalized, envelope: WebhookEnvelope): Promise<Normalized> {
    const { shop } = envelope;
    const { counters } = telemetry;
    const statementBy = deliveryKeyOf(envelope);
    const links = identityLinks(output.signals);
    const trusted = envelope.signed
      ? collapseLinks([...links.filter((l) => l.trusted), ...impliedLinks(output)])
      : [];
    const reads = new DeliveryReads(store, shop);
    const untrusted = links.filter((l) => !(envelope.signed && l.trusted));
    /** In the order the merges were attempted (a slot is kept before the write, so concurrent ones keep it). */
    const merges = new Map<string, PersonUpdate | undefined>();
    const mergedNow = new Map<string, KnownPerson>();
    const attempted = new Set<string>();
    const capped = new Set<string>();
    /** A delivery often states one link twice (its signal and its event); each binding is written once. */
    const boundNow = new Set<string>();
    const tokenPeople = new Map<string, KnownPerson>();

    const merge = async (anonymousId: string, person: KnownPerson, at: string): Promise<void> => {
      if (attempted.has(anonymousId)) return;
      if (attempted.size >= options.maxMergesPerDelivery) {
        capped.add(anonymousId);
        return;
      }
      attempted.add(anonymousId);
      merges.set(anonymousId, undefined);
      const binding = await store.bindAnonymous(shop, anonymousId, person, at, statementBy);
      // Whoever holds the id, its events resolve to them without another read.
      if (binding.person) mergedNow.set(anonymousId, binding.person);
      if (!binding.bound) {
        counters.count('AnonymousIdConflict');
        return;
      }
      mergedNow.set(anonymousId, binding.person ?? person);
      // Bound by another delivery: that one sends the merge identify (only its own retries send it again). An item
      // bound before deliveries were recorded tells by the statement's time.
      const boundElsewhere =
        binding.boundBy !== undefined
          ? binding.boundBy !== statementBy
          : binding.boundAt !== undefined && binding.boundAt !== at;
      if (boundElsewhere) return;
      merges.set(anonymousId, {
        dedupe_key: mergeKey(shop, anonymousId),
        source: envelope.source,
        shop,
        occurred_at: at,
        person: refOf(person),
        attributes: { anonymous_id: anonymousId },
      });
    };

    const completePerson = async (ids: LinkedIdentifiers): Promise<KnownPerson | undefined> => {
      const person = knownPersonOf(ids);
      if (person.customer_id || person.email) return person;
      for (const kind of LOOKUP_KINDS) {
        const value = ids[kind];
        if (!value) continue;
        const stored = (await reads.node(kind, value)).person;
        if (isAddressable(stored)) return { ...stored, ...person };
      }
      return undefined;
    };

    for (const link of untrusted) {
      const anonymousId = link.identifiers.anonymous_id;
      const token = beaconToken(link.identifiers);
      if (!anonymousId || !token) continue;
      const attach = await store.attachAnonymous(shop, token[0], token[1], anonymousId, link.observed_at);
      if (!attach.attached) {
        counters.count('AnonymousIdsCapped');
        continue;
      }
      if (isAddressable(attach.owner)) await merge(anonymousId, attach.owner, link.observed_at);
    }

    /**
     * Customer.io folds a guest profile into a new account by itself (an identify with a new id and a known email).
     * Only when both profiles already exist (a guest under email X, an account known under customer id Y) does a
     * signed statement "Y has email X" need an explicit merge, once, before the identifies that follow.
     */
    const profileMerges = new Map<string, ProfileMerge>();
    const profilesChecked = new Set<string>();
    /** Browsers on each token as first read: binding a token changes its owner, never its browsers. */
    const tokenBrowsers = new Map<string, Promise<readonly string[]>>();
    const browsersOn = (kind: TokenKind, token: string): Promise<readonly string[]> => {
      const key = `${kind}#${token}`;
      let browsers = tokenBrowsers.get(key);
      if (!browsers) {
        browsers = reads.node(kind, token).then((node) => node.anonymousIds);
        tokenBrowsers.set(key, browsers);
      }
      return browsers;
    };
    const detectProfileMerge = async (person: KnownPerson): Promise<void> => {
      if (!person.customer_id || !person.email) return;
      // The email is hashed: this key is also a dedupe key and an item key, which must hold no contact data.
      const key = profileMergeKey(shop, person);
      // Decided once per person and delivery: a later statement of the same person reads what the first one bound.
      if (profileMerges.has(key) || profilesChecked.has(key)) return;
      profilesChecked.add(key);
      const recorded = await reads.profileMerge(key);
      if (recorded) {
        const { primary, secondary } = recorded;
        profileMerges.set(key, {
          dedupe_key: key,
          shop,
          primary: refOf(primary),
          secondary: refOf(secondary),
        });
        return;
      }
      const guest = (await reads.node('email', person.email)).person;
      if (!guest || guest.customer_id) return;
      const account = (await reads.node('customer_id', person.customer_id)).person;
      if (!account) return;
      await store.recordProfileMerge(shop, key, account, { email: person.email });
      profileMerges.set(key, {
        dedupe_key: key,
        shop,
        primary: refOf(account),
        secondary: { email: person.email },
      });
      counters.count('ProfilesMerged');
    };

    /** Every item the trusted statements read before they write, asked for at once (one round trip). */
    const prefetch = (ids: LinkedIdentifiers): Promise<unknown>[] => {
      const person = knownPersonOf(ids);
      const lookups = person.customer_id || person.email ? [] : LOOKUP_KINDS;
      const merge =
        person.customer_id && person.email
          ? [
              reads.profileMerge(profileMergeKey(shop, person)),
              reads.node('email', person.email),
              reads.node('customer_id', person.customer_id),
            ]
          : [];
      return [
        ...lookups.flatMap((kind) => (ids[kind] ? [reads.node(kind, ids[kind])] : [])),
        ...merge,
        ...tokensOf(ids).map(([kind, token]) => browsersOn(kind, token)),
      ];
    };
    await Promise.all(trusted.flatMap((link) => prefetch(link.identifiers)));

    for (const link of trusted) {
      const person = await completePerson(link.identifiers);
      if (!person) {
        counters.count('IdentityLinkUnaddressable');
        continue;
      }
      await detectProfileMerge(person);
      const bound: Partial<Record<PersonIdentifierKind, string>> = {
        ...person,
        cart_token: link.identifiers.cart_token,
        checkout_token: link.identifiers.checkout_token,
      };
      const tokens = tokensOf(link.identifiers);
      const tokenNodes = await Promise.all(tokens.map(([kind, token]) => browsersOn(kind, token)));
      const binds = PERSON_KINDS.flatMap((kind) => {
        const value = bound[kind];
        const once = `${kind}#${value}#${JSON.stringify(person)}`;
        if (!value || boundNow.has(once)) return [];
        boundNow.add(once);
        reads.forget(kind, value);
        return [store.bindPerson(shop, kind, value, person, link.observed_at)];
      });
      const candidates = tokens.flatMap(([kind, token], i) => {
        tokenPeople.set(`${kind}#${token}`, person);
        return [...(tokenNodes[i] ?? [])];
      });
      if (link.identifiers.anonymous_id) candidates.push(link.identifiers.anonymous_id);
      // Each identifier and each browser is its own item: the binds and the merges go out together (`merge`
      // counts its attempts before it writes, so the cap holds).
      await Promise.all([
        ...binds,
        ...candidates.map((anonymousId) => merge(anonymousId, person, link.observed_at)),
      ]);
    }

    const deliveryTokens = [...trusted, ...untrusted].flatMap((l) => tokensOf(l.identifiers));

    const resolve = async (ref: PersonRef): Promise<PersonRef> => {
      if (ref.customer_id || ref.email) return ref;
      const enrich = (person: KnownPerson | undefined): PersonRef | undefined => {
        if (!isAddressable(person)) return undefined;
        counters.count('PersonEnriched');
        return { ...refOf(person), ...ref };
      };
      if (ref.anonymous_id) {
        const person =
          mergedNow.get(ref.anonymous_id) ?? (await store.personOfAnonymous(shop, ref.anonymous_id));
        return enrich(person) ?? ref;
      }
      for (const kind of ['recharge_customer_id', 'phone'] as const) {
        const value = ref[kind];
        if (!value) continue;
        const found = enrich((await reads.node(kind, value)).person);
        if (found) return found;
      }
      if (ref.recharge_customer_id) {
        counters.count('PersonUnresolved');
        throw new PersonUnresolvedError(
          `${envelope.source} ${envelope.topic}: no stored link resolves the Recharge customer`,
          'recharge_customer_id',
        );
      }
      for (const [kind, token] of deliveryTokens) {
        const found = enrich(tokenPeople.get(`${kind}#${token}`) ?? (await reads.node(kind, token)).person);
        if (found) return found;
      }
      return ref;
    };

    const events: CanonicalEventDraft[] = [];
    for (const event of output.events) events.push({ ...event, person: await resolve(event.person) });
    const people: PersonUpdate[] = [];
    for (const update of output.people) people.push({ ...update, person: await resolve(update.person) });
    const forgotten: ContactForgottenSignal[] = [];
    if (envelope.signed) {
      for (const deletion of output.deletions ?? []) {
        const { removed, tokens } = await store.forgetPerson(shop, knownPersonOf(deletion.person));
        counters.count('IdentityItemsForgotten', removed);
        forgotten.push({
          type: 'contact_forgotten',
          shop,
          cart_tokens: tokens.flatMap(([kind, token]) => (kind === 'cart_token' ? [token] : [])),
          checkout_tokens: tokens.flatMap(([kind, token]) => (kind === 'checkout_token' ? [token] : [])),
        });
      }
    }
    const merged = [...merges.values()].filter((update): update is PersonUpdate => update !== undefined);
    if (merged.length > 0) counters.count('AnonymousIdMerged', merged.length);
    if (capped.size > 0) counters.count('AnonymousMergesCapped', capped.size);
    return {
      ...output,
      events,
      people: [...merged, ...people],
      merges: [...(output.merges ?? []), ...profileMerges.values()],
      signals: [...output.signals, ...forgotten],
    };
  },
});
