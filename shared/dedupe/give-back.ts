import { classifyFailure } from '../failures/classify-failure.js';
import type { Telemetry } from '../ports/telemetry.js';

/**
 * Gives a claimed or owned key back after the work under it failed. A give-back that fails itself is counted
 * (`KeyGiveBackFailed`) and logged, never thrown: the record reports the work's own failure, and the key frees itself
 * (a claim when its lease runs out, an ownership once its owner's claim no longer counts). Only the key's kind is
 * logged: keys hold shop and order ids.
 */
export const giveBack = async (
  key: string,
  release: () => Promise<void>,
  telemetry: Telemetry,
): Promise<void> => {
  try {
    await release();
  } catch (error) {
    telemetry.counters.count('KeyGiveBackFailed');
    telemetry.log.warn('a key could not be given back after a failure; it frees itself when its lease ends', {
      key_kind: key.split('#')[0],
      code: classifyFailure(error).code,
    });
  }
};
