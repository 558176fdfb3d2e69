import type { AwsFault, AwsFaultPlan } from '../../local/fault-proxy.js';
import type { Random } from './random.js';

/** How often a Lambda's DynamoDB or SQS call goes wrong, per call. */
export interface AwsFaultRates {
  readonly throttle: number;
  readonly serverError: number;
  readonly reset: number;
  /** No answer: the invocation stops there until its function timeout (a crash between steps). */
  readonly hang: number;
  /** Share of faults that strike after the emulator applied the call (the answer is lost). */
  readonly afterShare: number;
}

/** The plan handed to the local stack, and what it injected (by `service kind when`). */
export interface ChaosAwsFaults {
  readonly plan: AwsFaultPlan;
  readonly injected: Record<string, number>;
  /** Calls seen. */
  calls: number;
}

/** Draws each call's fate from the seed: one of the four faults, before or after, or none. */
export const chaosAwsFaults = (random: Random, rates: AwsFaultRates): ChaosAwsFaults => {
  const state: ChaosAwsFaults = { plan: () => undefined, injected: {}, calls: 0 };
  const kinds: readonly [AwsFault['kind'], number][] = [
    ['throttle', rates.throttle],
    ['server_error', rates.serverError],
    ['reset', rates.reset],
    ['hang', rates.hang],
  ];
  const plan: AwsFaultPlan = (call) => {
    state.calls += 1;
    let draw = random.next();
    for (const [kind, rate] of kinds) {
      draw -= rate;
      if (draw < 0) {
        const when = random.chance(rates.afterShare) ? 'after' : 'before';
        const label = `${call.service} ${kind} ${when}`;
        state.injected[label] = (state.injected[label] ?? 0) + 1;
        return { kind, when };
      }
    }
    return undefined;
  };
  return Object.assign(state, { plan });
};
