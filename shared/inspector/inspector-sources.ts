import type { ActivityReader } from '../activity/activity-log.js';
import type { CartRecord, CartStore } from '../cart/cart-store.js';
import type { IdentityStore } from '../identity/identity-store.js';
import type { DeadLetter } from '../operations/dead-letter.js';

/** The identity graph, read only: who an identifier or a browser belongs to. */
type IdentityLookup = Pick<IdentityStore, 'read' | 'personOfAnonymous'>;

/** Cart records, read only: a cart's pending check, conversion or exit. */
type CartLookup = Pick<CartStore, 'getCart'>;

/** A dead letter with the values its payload holds, to match it to a person. */
export interface DeadLetterView {
  readonly letter: DeadLetter;
  /** Every string and number in the message (ids, emails, tokens), lower-cased, to match a person's identifiers. */
  readonly values: ReadonlySet<string>;
}

/** The DLQs, read without consuming: every message, with what could be read and what could not. */
export interface DeadLetterSource {
  read(): Promise<{ readonly letters: readonly DeadLetterView[]; readonly notes: readonly string[] }>;
}

/** Everything the inspector reads, all read-only. */
export interface InspectorSources {
  readonly activity: ActivityReader;
  readonly identity: IdentityLookup;
  readonly carts: CartLookup;
  readonly deadLetters: DeadLetterSource;
  /** Shops to offer in the form (the first is the default). */
  readonly shops: readonly string[];
  /** Where the data comes from, shown in the page header (e.g. `local stack`, `stack connector-prod`). */
  readonly label: string;
}

/** A cart the person touched, as cart recovery holds it now. */
export type CartState = CartRecord;
