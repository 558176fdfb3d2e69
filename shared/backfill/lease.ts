import type { Clock } from '../ports/clock.js';
import type { RunStateStore } from './run-state-store.js';

/** Another run of the same kind holds the shop's lease: this one must not send. */
export class LeaseBusyError extends Error {
  constructor(
    readonly leaseName: string,
    readonly holder: string,
    readonly until: Date,
  ) {
    super(
      `${leaseName} is running elsewhere (${holder}) until at least ${until.toISOString()}; not starting a second run`,
    );
    this.name = 'LeaseBusyError';
  }
}

/** This run's lease expired and another run took it: this one stops sending at once. */
export class LeaseLostError extends Error {
  constructor(readonly leaseName: string) {
    super(`lost the lease ${leaseName} to another run; stopped (the checkpoint keeps what was done)`);
    this.name = 'LeaseLostError';
  }
}

/** A held lease: kept alive between batches, given back at the end. */
export interface HeldLease {
  /** Renews the lease; throws LeaseLostError when another run took it. */
  keep(): Promise<void>;
  /**
   * Gives the lease back; false when that write failed. Never throws: the run's own outcome is what matters, and an
   * unreleased lease runs out by itself `ttlMs` after its last renewal (the caller says so).
   */
  release(): Promise<boolean>;
}

/**
 * Takes the lease `name` (throws LeaseBusyError while another holder's is valid). The caller keeps it alive with
 * `keep()` at least once per `ttlMs` (between batches, between bulk polls), so a crashed run's lease runs out and a
 * new run can take over without waiting long.
 */
export const takeLease = async (
  store: RunStateStore,
  name: string,
  holder: string,
  ttlMs: number,
  clock: Clock,
): Promise<HeldLease> => {
  const taken = await store.acquire(name, holder, ttlMs, clock());
  if (!taken.ok) throw new LeaseBusyError(name, taken.holder, taken.until);
  return {
    keep: async () => {
      if (!(await store.renew(name, taken.token, ttlMs, clock()))) throw new LeaseLostError(name);
    },
    release: () =>
      store.release(name, taken.token).then(
        () => true,
        () => false,
      ),
  };
};
