import { describe, expect, it } from 'vitest';
import { geomean, median, quantile, spread } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('interpolates quantiles between neighbours and takes the middle as the median', () => {
    expect(quantile([4, 1, 3, 2], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 1)).toBe(4);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([])).toBeNaN();
  });

  it('averages ratios geometrically: a 2× and a 0.5× average to 1×', () => {
    expect(geomean([2, 0.5])).toBeCloseTo(1, 12);
    expect(geomean([1, 10, 100])).toBeCloseTo(10, 12);
    expect(geomean([1, 0])).toBeNaN();
    expect(geomean([])).toBeNaN();
  });

  it('reports the spread of repeated measurements relative to their median', () => {
    const s = spread([10, 11, 9, 10, 30]);
    expect(s).toMatchObject({ median: 10, min: 9, max: 30, p25: 10, p75: 11 });
    expect(s.relativeIqr).toBeCloseTo(0.1, 12);
  });
});
