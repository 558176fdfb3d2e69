import { describe, expect, it } from 'vitest';
import { parseStepsMinutes, stepDueAt, stepQuietAt } from '../../../shared/cart/cart-recovery-config.js';

const CONFIG = { stepsMinutes: [60, 1440], minLeadMs: 60_000 };
const NOW = new Date('2026-11-28T10:00:00.000Z');

describe('cart recovery config', () => {
  it('parses step delays in minutes, fractions included', () => {
    expect(parseStepsMinutes('60,1440')).toEqual([60, 1440]);
    expect(parseStepsMinutes(' 0.25, 0.5 ')).toEqual([0.25, 0.5]);
  });

  it('rejects zero, negative, non-numeric and non-increasing steps', () => {
    for (const bad of ['0', '-5', 'abc', '60,60', '1440,60', '']) {
      expect(() => parseStepsMinutes(bad), bad).toThrow(/cart recovery steps/);
    }
  });

  it('dates a step from the last activity, never sooner than the lead, in whole seconds', () => {
    expect(stepQuietAt(CONFIG, 2, '2026-11-28T09:00:00.000Z').toISOString()).toBe('2026-11-29T09:00:00.000Z');
    expect(stepDueAt(CONFIG, 1, '2026-11-28T09:30:00.250Z', NOW).toISOString()).toBe(
      '2026-11-28T10:30:01.000Z',
    );
    expect(stepDueAt(CONFIG, 1, '2021-12-31T00:00:00.000Z', NOW).toISOString()).toBe(
      '2026-11-28T10:01:00.000Z',
    );
    expect(() => stepQuietAt(CONFIG, 3, '2026-11-28T09:00:00.000Z')).toThrow('no cart recovery step 3');
  });
});
