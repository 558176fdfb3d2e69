/** How cart recovery paces its checks. */
export interface CartRecoveryConfig {
  /** Delay of each step after the cart's last activity, in minutes, strictly increasing (e.g. [60, 1440]). */
  readonly stepsMinutes: readonly number[];
  /** Earliest a check may be scheduled from now; a due time in the past is moved up to this. */
  readonly minLeadMs: number;
}

/** Parses "60,1440" (fractions allowed: "0.25,0.5") into strictly increasing positive step delays. */
export const parseStepsMinutes = (value: string): number[] => {
  const steps = value.split(',').map((part) => Number(part.trim()));
  if (steps.length === 0 || steps.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new Error(`cart recovery steps must be positive minutes, got "${value}"`);
  }
  if (steps.some((s, i) => i > 0 && s <= (steps[i - 1] ?? 0))) {
    throw new Error(`cart recovery steps must increase, got "${value}"`);
  }
  return steps;
};

/** When a step is due for a cart last active at `lastActivityAt`, no sooner than `minLeadMs` from `now`. */
export const stepDueAt = (
  config: CartRecoveryConfig,
  step: number,
  lastActivityAt: string,
  now: Date,
): Date => notBefore(stepQuietAt(config, step, lastActivityAt).getTime(), now, config.minLeadMs);

/** When a cart last active at `lastActivityAt` has been quiet for a step's delay. */
export const stepQuietAt = (config: CartRecoveryConfig, step: number, lastActivityAt: string): Date => {
  const minutes = config.stepsMinutes[step - 1];
  if (minutes === undefined) throw new Error(`no cart recovery step ${step}`);
  return new Date(Date.parse(lastActivityAt) + Math.round(minutes * 60_000));
};

/** A due time no sooner than `minLeadMs` from `now`, rounded up to a whole second. */
export const notBefore = (dueMs: number, now: Date, minLeadMs: number): Date =>
  new Date(Math.ceil(Math.max(dueMs, now.getTime() + minLeadMs) / 1000) * 1000);
