/**
 * The worker-side retry budget of a queue (CONTRACTS.md "Retry budget"): the worker backs a failed record off
 * with ChangeMessageVisibility, min(maxSeconds, baseSeconds × 2^(attempt-1)), and parks it itself after
 * maxAttempts. The queue's own redrive is only a backstop behind that.
 */
export interface RetryBudget {
  readonly maxAttempts: number;
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/** Inbox → process: 15 attempts ride out about 2 h 45 min of a dependency outage (30 s doubling to 15 min). */
export const INBOX_RETRY_BUDGET: RetryBudget = { maxAttempts: 15, baseSeconds: 30, maxSeconds: 900 };

/** Outbox → deliver: 20 attempts ride out about 7 h 30 min of a Customer.io outage (30 s doubling to 30 min). */
export const OUTBOX_RETRY_BUDGET: RetryBudget = { maxAttempts: 20, baseSeconds: 30, maxSeconds: 1_800 };

/**
 * Receives beyond the worker's own budget before SQS redrives: a record whose receives ended in crashes or
 * timeouts (which the worker never saw) still reaches the DLQ, three receives after the worker would have parked it.
 */
const BACKSTOP_RECEIVES = 3;

/** The queue's redrive `maxReceiveCount` for a budget. */
export const backstopReceiveCount = (budget: RetryBudget): number => budget.maxAttempts + BACKSTOP_RECEIVES;

/** Seconds a record can spend in backoff before the worker parks it (the sum of every backoff). */
export const budgetSeconds = (budget: RetryBudget): number =>
  Array.from({ length: budget.maxAttempts - 1 }, (_, i) =>
    Math.min(budget.maxSeconds, budget.baseSeconds * 2 ** i),
  ).reduce((sum, seconds) => sum + seconds, 0);
