import { createHash } from 'node:crypto';
import * as z from 'zod';

/** One one-time cart check: "look at this cart again at `due_at`". */
export interface ScheduledCheck {
  readonly shop: string;
  readonly cart_token: string;
  readonly step: number;
  /** Whole seconds (the Scheduler's `at()` has no sub-second part). */
  readonly due_at: Date;
}

/** What a fired check receives: the Scheduler target's Input JSON. */
export const CartCheckInputSchema = z.object({
  shop: z.string().min(1),
  cart_token: z.string().min(1),
  step: z.number().int().positive(),
});
/** A check's Input. */
export type CartCheckInput = z.infer<typeof CartCheckInputSchema>;

/**
 * Port: one-time cart checks. `schedule` is idempotent for the same check (a repeat is success); `cancel` of a
 * check that already fired or never existed is success too. Both throw on transient failure.
 */
export interface RecoveryScheduler {
  schedule(check: ScheduledCheck): Promise<void>;
  cancel(check: ScheduledCheck): Promise<void>;
}

/** Rounds a time up to the next whole second. */
export const wholeSecond = (date: Date): Date => new Date(Math.ceil(date.getTime() / 1000) * 1000);

/** The Scheduler's one-time expression: `at(yyyy-mm-ddThh:mm:ss)`, in UTC (no zone suffix). */
export const atExpression = (due: Date): string => `at(${wholeSecond(due).toISOString().slice(0, 19)})`;

const digest = (check: ScheduledCheck): string =>
  createHash('sha256')
    .update(`${check.shop}\n${check.cart_token}\n${check.step}\n${atExpression(check.due_at)}`)
    .digest('hex');

/**
 * The schedule name: `cart-<40 hex>-s<step>` (49 characters for steps 10-99, within the 64-character `[0-9a-zA-Z-_.]`
 * rule whatever the shop or token). The due time is part of the hash so a lazy reschedule of the same step gets a
 * new name: the fired schedule may still exist (its DELETE-after-completion timing is not documented), and
 * reusing a name plus ClientToken could be taken for a replay of the first create.
 */
export const scheduleName = (check: ScheduledCheck): string =>
  `cart-${digest(check).slice(0, 40)}-s${check.step}`;

/** A deterministic ClientToken (64 hex characters, the maximum): a retried call is recognised as the same. */
export const scheduleClientToken = (check: ScheduledCheck, operation: 'create' | 'delete'): string =>
  createHash('sha256')
    .update(`${operation}\n${scheduleName(check)}`)
    .digest('hex');

/** The target Input of a check. */
export const checkInput = (check: ScheduledCheck): CartCheckInput => ({
  shop: check.shop,
  cart_token: check.cart_token,
  step: check.step,
});
