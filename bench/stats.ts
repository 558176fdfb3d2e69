/** Small statistics for benchmark samples: robust centre (median), spread and the geometric mean of ratios. */

/** The q-quantile (0..1) of the values, interpolated between neighbours. NaN for no values. */
export const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
};

/** The median. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The geometric mean: the right average for ratios (a 2× and a 0.5× average to 1×). NaN unless all are > 0. */
export const geomean = (values: readonly number[]): number => {
  if (values.length === 0 || values.some((v) => !(v > 0))) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
};

/** How a set of repeated measurements spreads around its median. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p25: number;
  readonly p75: number;
  /** (p75 − p25) / median: 0.02 means the middle half of the rounds lies within ±1 % of the median. */
  readonly relativeIqr: number;
}

/** The spread of repeated measurements. */
export const spread = (values: readonly number[]): Spread => {
  const mid = median(values);
  const p25 = quantile(values, 0.25);
  const p75 = quantile(values, 0.75);
  return {
    median: mid,
    min: Math.min(...values),
    max: Math.max(...values),
    p25,
    p75,
    relativeIqr: mid > 0 ? (p75 - p25) / mid : Number.NaN,
  };
};
