/** A lease another run holds. */
export interface LeaseHeld {
  readonly ok: false;
  readonly holder: string;
  readonly until: Date;
}

/** A lease taken: its token renews and releases it. */
export interface LeaseTaken {
  readonly ok: true;
  readonly token: string;
}

/** A stored state with its version (for conditional writes). */
export interface VersionedState {
  readonly version: number;
  readonly state: unknown;
}

/**
 * Port: a run's lease (two runs of one kind for one shop never both send) and its resumable state (a backfill's
 * checkpoint, reconciliation's watermark), each written with a condition on what was read, without transactions.
 */
export interface RunStateStore {
  /** Takes the lease `name` for `ttlMs` unless another holder's lease is still valid. */
  acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<LeaseTaken | LeaseHeld>;
  /** Extends a lease still held with `token`; false when it was lost (expired and taken by another run). */
  renew(name: string, token: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Gives the lease back (only if still held with `token`). */
  release(name: string, token: string): Promise<void>;
  /** The state stored under `name`, if any. */
  read(name: string): Promise<VersionedState | undefined>;
  /**
   * Stores `state` as version `expected + 1` if the stored version is still `expected` (0: nothing stored yet).
   * False when another writer got there first.
   */
  write(name: string, state: unknown, expected: number, now: Date, ttlDays?: number): Promise<boolean>;
}
