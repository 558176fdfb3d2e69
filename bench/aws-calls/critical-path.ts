/** A call's span in time (any unit, same clock for all). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The number of round trips on the critical path: the longest chain of calls in which each starts after the one
 * before it ended. Calls that overlap ran concurrently and add one round trip together, not one each.
 */
export const sequentialRoundTrips = (spans: readonly Span[]): number => {
  const byEnd = [...spans].sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  let longest = 0;
  byEnd.forEach((span, i) => {
    let before = 0;
    for (let j = 0; j < i; j += 1) {
      const earlier = byEnd[j];
      if (earlier && earlier.end <= span.start) before = Math.max(before, depth[j] ?? 0);
    }
    depth[i] = before + 1;
    longest = Math.max(longest, before + 1);
  });
  return longest;
};
