import { type IdentityLinkSignal, identityLink } from './identity-signal.js';
import type { IdentityNode, IdentityStore, KnownPerson, PersonIdentifierKind } from './identity-store.js';

/** A recorded profile merge, as the store returns it. */
type RecordedMerge = { primary: KnownPerson; secondary: KnownPerson } | undefined;

/**
 * The identity reads of one delivery, each made once: a delivery states one link several times (its signal, its
 * event, its identify) and every statement used to read the same items again. Reads asked for together go out
 * together (the DynamoDB store sends them as one BatchGetItem). Writing an identifier forgets what was read of it,
 * so a later read sees the write.
 */
export class DeliveryReads {
  private readonly nodes = new Map<string, Promise<IdentityNode>>();
  private readonly merges = new Map<string, Promise<RecordedMerge>>();

  constructor(
    private readonly store: IdentityStore,
    private readonly shop: string,
  ) {}

  node(kind: PersonIdentifierKind, value: string): Promise<IdentityNode> {
    const key = `${kind}#${value}`;
    let read = this.nodes.get(key);
    if (!read) {
      read = this.store.read(this.shop, kind, value);
      this.nodes.set(key, read);
      // A failed read is not remembered: the caller's retry reads again.
      read.catch(() => this.nodes.delete(key));
    }
    return read;
  }

  profileMerge(key: string): Promise<RecordedMerge> {
    let read = this.merges.get(key);
    if (!read) {
      read = this.store.profileMerge(key);
      this.merges.set(key, read);
      read.catch(() => this.merges.delete(key));
    }
    return read;
  }

  /** Forgets what was read of an identifier that is being written. */
  forget(kind: PersonIdentifierKind, value: string): void {
    this.nodes.delete(`${kind}#${value}`);
  }
}

const PERSON_FIELDS = ['customer_id', 'email', 'phone', 'recharge_customer_id'] as const;
const TOKEN_FIELDS = ['cart_token', 'checkout_token', 'anonymous_id'] as const;

/**
 * Collapses the statements of one delivery that name the same person at the same time into one, their tokens
 * united (where they do not disagree): binding, merge detection and token reads are then done once per statement,
 * with the same outcome as doing them for each copy.
 */
export const collapseLinks = (links: readonly IdentityLinkSignal[]): IdentityLinkSignal[] => {
  const collapsed: IdentityLinkSignal[] = [];
  for (const link of links) {
    const same = collapsed.findIndex(
      (kept) =>
        kept.trusted === link.trusted &&
        kept.observed_at === link.observed_at &&
        PERSON_FIELDS.every((f) => kept.identifiers[f] === link.identifiers[f]) &&
        TOKEN_FIELDS.every(
          (f) =>
            kept.identifiers[f] === undefined ||
            link.identifiers[f] === undefined ||
            kept.identifiers[f] === link.identifiers[f],
        ),
    );
    const kept = collapsed[same];
    if (kept === undefined) collapsed.push(link);
    else {
      collapsed[same] = identityLink(
        kept.trusted,
        { ...link.identifiers, ...kept.identifiers },
        kept.observed_at,
      );
    }
  }
  return collapsed;
};
