import { describe, expect, it } from 'vitest';
import { CHAOS_PROFILES } from '../chaos/profiles.js';
import { formatReport } from '../chaos/report.js';
import { runChaos } from '../chaos/run-chaos.js';

const sum = (counts: Readonly<Record<string, number>>): number =>
  Object.values(counts).reduce((total, n) => total + n, 0);

/**
 * The short chaos run (fixed seed; `npm run chaos` is the long one): duplicated and reordered deliveries from every
 * platform through the real local stack while Customer.io answers 429, 5xx, late, 207 and 400 and the Lambdas'
 * DynamoDB and SQS calls are throttled, failed, reset or hung before or after they applied.
 */
describe('chaos run (CI profile: seed 1)', () => {
  it('delivers every expected event under exactly one id or parks it with a reason, and loses nothing', async () => {
    const result = await runChaos(CHAOS_PROFILES.ci);
    console.log(formatReport(result));

    expect(result.drained).toBe(true);
    expect(result.verdict.lost).toEqual([]);
    expect(result.verdict.duplicateIds).toEqual([]);
    expect(result.verdict.parkedWithoutReason).toEqual([]);
    expect(result.verdict.unexpected).toEqual([]);
    expect(result.driver.refused).toEqual([]);
    expect(result.driver.gaveUp).toEqual([]);
    // The run means something only if the faults struck and most events still went through.
    expect(sum(result.awsFaults)).toBeGreaterThan(20);
    // Batched delivery makes about 90 Customer.io calls here; at the profile's rates about 12 of them are faults.
    expect(sum(result.customerIoAnswers) - (result.customerIoAnswers.ok ?? 0)).toBeGreaterThanOrEqual(3);
    expect(result.verdict.delivered + result.verdict.parkedExpected.length).toBe(result.verdict.expected);
    expect(result.verdict.delivered).toBeGreaterThan(result.verdict.expected * 0.8);
  }, 180_000);
});
