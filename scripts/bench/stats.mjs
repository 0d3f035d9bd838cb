// The one set of sample statistics for scripts/bench/ (issue 16.5). Nearest-rank quantiles: the
// value at rank ceil(q·n), so a reported quantile is always a sample that was measured. Honest
// names: with n samples, a quantile above 1 − 1/n is the maximum, so `summary` calls it that
// ("p99" of 50 samples is the max) and always says how many samples there were.

/** Nearest-rank quantile, q in [0, 1]; NaN for no samples. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => quantile(values, 0.5);

/** The smallest sample count for which quantile q is not simply the maximum. */
export const samplesFor = (q) => Math.ceil(1 / (1 - q) - 1e-9);

/**
 * { n, p50, p90, p99, max } with `unit` appended to the keys (e.g. "_ms"); a quantile the sample
 * count cannot resolve is left out (p99 needs ≥ 100 samples, p90 ≥ 10), the max is always there.
 */
export function summary(values, unit = '', digits = 2) {
  const round = (x) => Math.round(x * 10 ** digits) / 10 ** digits;
  const out = { n: values.length };
  for (const [name, q] of [
    ['p50', 0.5],
    ['p90', 0.9],
    ['p99', 0.99],
  ]) {
    if (values.length >= samplesFor(q)) out[`${name}${unit}`] = round(quantile(values, q));
  }
  out[`max${unit}`] = round(quantile(values, 1));
  return out;
}
