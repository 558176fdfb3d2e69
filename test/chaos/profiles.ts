import type { ChaosOptions } from './run-chaos.js';

type Profile = Omit<ChaosOptions, 'progress'>;

/** Fault rates of every run: high enough that each kind strikes many times, low enough that most calls work. */
const FAULTS = {
  aws: { throttle: 0.02, serverError: 0.01, reset: 0.01, hang: 0.002, afterShare: 0.5 },
  customerio: { rateLimited: 0.05, serverError: 0.05, timeout: 0.03, rejectEvent: 0.02 },
} as const;

/** The two runs: `ci` in `npm test` (fixed seed, under a minute on two cores), `long` for `npm run chaos`. */
export const CHAOS_PROFILES: Readonly<Record<'ci' | 'long', Profile>> = {
  ci: {
    seed: 1,
    deliveries: 150,
    durationSeconds: 10,
    duplicateRate: 0.3,
    drainTimeoutSeconds: 90,
    ...FAULTS,
  },
  long: {
    seed: 8,
    deliveries: 2_000,
    durationSeconds: 300,
    duplicateRate: 0.3,
    drainTimeoutSeconds: 300,
    ...FAULTS,
  },
};
