import {
  type AnonymousBinding,
  type AttachResult,
  type ForgottenPerson,
  type IdentityNode,
  type IdentityStore,
  type KnownPerson,
  type PersonIdentifierKind,
  personKeys,
  type TokenKind,
} from './identity-store.js';

interface Binding {
  person: KnownPerson;
  observedAt: string;
}

/** An in-memory IdentityStore with the DynamoDB store's semantics (local runs and pure-core tests). */
export class MemoryIdentityStore implements IdentityStore {
  readonly people = new Map<string, Binding>();
  readonly anonymous = new Map<string, Set<string>>();
  readonly merged = new Map<string, { person: KnownPerson; key: string; at: string; by?: string }>();

  constructor(private readonly maxAnonymousIdsPerToken = 10) {}

  async read(shop: string, kind: PersonIdentifierKind, value: string): Promise<IdentityNode> {
    const key = `${shop}#${kind}#${value}`;
    const binding = this.people.get(key);
    return {
      ...(binding ? { person: binding.person } : {}),
      anonymousIds: [...(this.anonymous.get(key) ?? [])].sort(),
    };
  }

  async personOfAnonymous(shop: string, anonymousId: string): Promise<KnownPerson | undefined> {
    return this.merged.get(`${shop}#${anonymousId}`)?.person;
  }

  async bindPerson(
    shop: string,
    kind: PersonIdentifierKind,
    value: string,
    person: KnownPerson,
    observedAt: string,
  ): Promise<void> {
    const key = `${shop}#${kind}#${value}`;
    const existing = this.people.get(key);
    if (existing && existing.observedAt > observedAt) return;
    const stored = existing?.person;
    const compatible =
      stored === undefined ||
      (['customer_id', 'email', 'phone', 'recharge_customer_id'] as const).every(
        (field) =>
          person[field] === undefined || stored[field] === undefined || stored[field] === person[field],
      );
    this.people.set(key, { person: compatible ? { ...stored, ...person } : { ...person }, observedAt });
  }

  async attachAnonymous(
    shop: string,
    kind: TokenKind,
    token: string,
    anonymousId: string,
  ): Promise<AttachResult> {
    const key = `${shop}#${kind}#${token}`;
    const set = this.anonymous.get(key) ?? new Set<string>();
    if (!set.has(anonymousId) && set.size >= this.maxAnonymousIdsPerToken) return { attached: false };
    set.add(anonymousId);
    this.anonymous.set(key, set);
    const owner = this.people.get(key)?.person;
    return { attached: true, ...(owner ? { owner } : {}) };
  }

  private readonly profileMerges = new Map<string, { primary: KnownPerson; secondary: KnownPerson }>();

  async recordProfileMerge(
    _shop: string,
    key: string,
    primary: KnownPerson,
    secondary: KnownPerson,
  ): Promise<void> {
    this.profileMerges.set(key, { primary, secondary });
  }

  async profileMerge(key: string): Promise<{ primary: KnownPerson; secondary: KnownPerson } | undefined> {
    return this.profileMerges.get(key);
  }

  async forgetPerson(shop: string, person: KnownPerson): Promise<ForgottenPerson> {
    const keys = new Set(personKeys(person));
    const matches = (candidate: KnownPerson) => personKeys(candidate).some((key) => keys.has(key));
    let removed = 0;
    const tokens: [TokenKind, string][] = [];
    for (const [key, binding] of this.people) {
      if (!key.startsWith(`${shop}#`) || !matches(binding.person)) continue;
      removed += Number(this.people.delete(key));
      const [, kind, ...token] = key.split('#');
      if (kind === 'cart_token' || kind === 'checkout_token') tokens.push([kind, token.join('#')]);
    }
    for (const [key, merged] of this.merged) {
      if (key.startsWith(`${shop}#`) && matches(merged.person)) removed += Number(this.merged.delete(key));
    }
    return { removed, tokens };
  }

  async bindAnonymous(
    shop: string,
    anonymousId: string,
    person: KnownPerson,
    observedAt: string,
    by?: string,
  ): Promise<AnonymousBinding> {
    const key = `${shop}#${anonymousId}`;
    const keys = personKeys(person);
    const existing = this.merged.get(key);
    if (existing)
      return {
        bound: keys.includes(existing.key),
        person: existing.person,
        boundAt: existing.at,
        ...(existing.by ? { boundBy: existing.by } : {}),
      };
    const first = keys[0];
    if (first === undefined) return { bound: false };
    this.merged.set(key, { person, key: first, at: observedAt, ...(by ? { by } : {}) });
    return { bound: true, person, boundAt: observedAt, ...(by ? { boundBy: by } : {}) };
  }
}
