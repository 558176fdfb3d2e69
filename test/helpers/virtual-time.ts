/** A clock that only moves when code sleeps: backoff and rate-limit waits cost no wall time, and are recorded. */
export interface VirtualTime {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
  /** Every wait asked for, in order. */
  readonly sleeps: number[];
}

/** Starts a virtual clock at `start` (epoch ms). */
export const virtualTime = (start = Date.parse('2026-11-28T10:00:00Z')): VirtualTime => {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      now += Math.max(0, milliseconds);
    },
  };
};
