import { describe, expect, it } from 'vitest';
import { sequentialRoundTrips } from '../../../bench/aws-calls/critical-path.js';

describe('sequentialRoundTrips', () => {
  it('counts calls made one after the other one each', () => {
    expect(
      sequentialRoundTrips([
        { start: 0, end: 1 },
        { start: 1, end: 2 },
        { start: 2.5, end: 3 },
      ]),
    ).toBe(3);
  });

  it('counts overlapping calls (made concurrently) as one round trip', () => {
    expect(
      sequentialRoundTrips([
        { start: 0, end: 1 },
        { start: 1, end: 3 },
        { start: 1.1, end: 2.5 },
        { start: 1.2, end: 2.9 },
        { start: 3, end: 4 },
      ]),
    ).toBe(3);
  });

  it('follows the longest chain, not the first one found', () => {
    // A long call beside two short sequential ones: the two short ones are the critical path.
    expect(
      sequentialRoundTrips([
        { start: 0, end: 10 },
        { start: 0, end: 1 },
        { start: 2, end: 3 },
        { start: 10, end: 11 },
      ]),
    ).toBe(3);
  });

  it('is 0 for no calls', () => {
    expect(sequentialRoundTrips([])).toBe(0);
  });
});
