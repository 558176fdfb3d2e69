/** Outcome of claiming a dedupe key. */
export type ClaimResult =
  | { readonly status: 'claimed'; readonly token: string }
  /** The work behind the key was completed before: skip it. */
  | { readonly status: 'duplicate' }
  /** Another worker holds an unexpired lease: retry later, never drop. */
  | { readonly status: 'in_progress' };

/**
 * Port: one-write ownership of a key. The first owner to write a key keeps it; the same owner may write it again
 * (its retries), anyone else is refused. `disown` gives the key back after a failure, so another owner can take
 * it. Used where the owner's retries may safely repeat the work (the outbox: deterministic ids).
 */
export interface OwnershipStore {
  /** True when `owner` holds the key now (newly or again), false when another owner does. */
  own(key: string, owner: string, now: Date): Promise<boolean>;
  disown(key: string, owner: string): Promise<void>;
}

/**
 * Port: exactly-once bookkeeping by key. `claim` takes a lease; `complete` marks the work done; `release` gives
 * the key back after a failure so a retry can claim it at once. A crash between claim and complete is recovered
 * when the lease expires.
 */
export interface DedupeStore {
  claim(key: string, now: Date): Promise<ClaimResult>;
  complete(key: string, token: string, now: Date): Promise<void>;
  release(key: string, token: string): Promise<void>;
}
