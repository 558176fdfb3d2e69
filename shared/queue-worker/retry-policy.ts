/** The most SQS lets a message stay hidden (ChangeMessageVisibility takes 0 to 43,200 seconds). */
export const MAX_VISIBILITY_SECONDS = 43_200;

/** How often and how patiently a worker retries a transient failure (CONTRACTS.md, "Retry budget per queue"). */
export interface RetryPolicy {
  /** Receives a record gets; a transient failure on the last one parks the record (`exhausted`). */
  readonly maxAttempts: number;
  /** The delay after the first failed attempt; it doubles per attempt. */
  readonly baseSeconds: number;
  /** The cap of that doubling. */
  readonly maxSeconds: number;
}

/** Up to this share of the delay is added at random, so records that failed together do not return together. */
const JITTER = 0.1;

/** `min(maxSeconds, baseSeconds × 2^(attempt-1))` plus up to 10 % jitter, in whole seconds, within SQS's 12 h. */
export const backoffSeconds = (
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number => {
  const exponential = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** (Math.max(1, attempt) - 1));
  return Math.min(MAX_VISIBILITY_SECONDS, Math.round(exponential * (1 + JITTER * random())));
};

/** The delay before the next attempt: what the dependency asked for (Retry-After) or the backoff. */
export const retryDelaySeconds = (
  attempt: number,
  policy: RetryPolicy,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number =>
  retryAfterSeconds === undefined
    ? backoffSeconds(attempt, policy, random)
    : Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(retryAfterSeconds)));

/** How long a record keeps being retried through an outage before it parks (the delays without jitter). */
export const rideOutSeconds = (policy: RetryPolicy): number => {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1)
    total += backoffSeconds(attempt, policy, () => 0);
  return total;
};
