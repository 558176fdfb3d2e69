/** What the connector knows about a person: the identifiers it was seen with (at least customer_id or email). */
export interface KnownPerson {
  readonly customer_id?: string;
  readonly email?: string;
  /** E.164. */
  readonly phone?: string;
  readonly recharge_customer_id?: string;
}

/** Identifiers that can point to a person (the anonymous id is bound separately, once). */
export type PersonIdentifierKind =
  | 'customer_id'
  | 'email'
  | 'phone'
  | 'recharge_customer_id'
  | 'checkout_token'
  | 'cart_token';

/** Tokens a storefront browser may be attached to. */
export type TokenKind = 'cart_token' | 'checkout_token';

/** Everything stored under one identifier. */
export interface IdentityNode {
  /** The person the identifier belongs to, when a trusted source said so. */
  readonly person?: KnownPerson;
  /** Anonymous ids attached to this token by storefront beacons (tokens only; at most the per-token cap). */
  readonly anonymousIds: readonly string[];
}

/** Outcome of attaching a browser to a token. */
export interface AttachResult {
  /** False when the token already holds the most browsers it may, and this one is not among them. */
  readonly attached: boolean;
  /** The token's owner, when a trusted source named one (learnt by the same write). */
  readonly owner?: KnownPerson;
}

/** What a privacy redact removed from the identity graph. */
export interface ForgottenPerson {
  /** How many items were deleted. */
  readonly removed: number;
  /** The cart and checkout tokens the person owned: other records keyed by them hold contact data too. */
  readonly tokens: readonly (readonly [TokenKind, string])[];
}

/** Outcome of binding an anonymous id to a person. */
export interface AnonymousBinding {
  /** True when the id is bound to the person asked for (now or before); false when another person holds it. */
  readonly bound: boolean;
  /** The person the id is bound to (whoever holds it), when known. */
  readonly person?: KnownPerson;
  /** The time of the statement that first bound it (ISO 8601). */
  readonly boundAt?: string;
  /** The delivery that first bound it, when it said (its retries send the merge identify again; no one else). */
  readonly boundBy?: string;
}

/**
 * Port: the identity graph of one shop. Every write is a single-item conditional write (no transactions), and
 * every write is idempotent, because the identity stage re-runs when a delivery is retried.
 */
export interface IdentityStore {
  /** Reads one identifier: its person and, for tokens, the attached anonymous ids. */
  read(shop: string, kind: PersonIdentifierKind, value: string): Promise<IdentityNode>;
  /** The person an anonymous id was merged into, if any. */
  personOfAnonymous(shop: string, anonymousId: string): Promise<KnownPerson | undefined>;
  /** Binds an identifier to a person unless a newer statement (by `observedAt`) already did. */
  bindPerson(
    shop: string,
    kind: PersonIdentifierKind,
    value: string,
    person: KnownPerson,
    observedAt: string,
  ): Promise<void>;
  /**
   * Attaches an anonymous id to a cart or checkout token, unless the token already holds the per-token cap of
   * other browsers; attaching twice changes nothing. Returns the token's owner in the same call.
   */
  attachAnonymous(
    shop: string,
    kind: TokenKind,
    token: string,
    anonymousId: string,
    observedAt: string,
  ): Promise<AttachResult>;
  /**
   * Binds an anonymous id to a person, first binding wins (Customer.io: an anonymous id is not reusable), and
   * says who holds it, since which statement and, when `by` names the binding delivery, which delivery bound it.
   */
  bindAnonymous(
    shop: string,
    anonymousId: string,
    person: KnownPerson,
    observedAt: string,
    by?: string,
  ): Promise<AnonymousBinding>;
  /** Deletes everything bound to a person (privacy redact), and says which tokens the person owned. */
  forgetPerson(shop: string, person: KnownPerson): Promise<ForgottenPerson>;
  /**
   * Records a profile merge the stage decided on, before it rebinds the identifiers it was decided from: a retry
   * (a later stage failed) can no longer detect it, but finds it here. Bound to the primary person, so a redact
   * forgets it. Idempotent.
   */
  recordProfileMerge(shop: string, key: string, primary: KnownPerson, secondary: KnownPerson): Promise<void>;
  /** A recorded profile merge, by its key. */
  profileMerge(key: string): Promise<{ primary: KnownPerson; secondary: KnownPerson } | undefined>;
}

/** The stable key comparing people: customer id first, else email. */
export const personKeys = (person: KnownPerson): string[] => [
  ...(person.customer_id ? [`customer_id:${person.customer_id}`] : []),
  ...(person.email ? [`email:${person.email}`] : []),
];

/** Whether Customer.io can address the person (customer id or email known). */
export const isAddressable = (person: KnownPerson | undefined): person is KnownPerson =>
  person !== undefined && (person.customer_id !== undefined || person.email !== undefined);
