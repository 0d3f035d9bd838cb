// Order statistics for the benches, one definition for all (issue 16 point 5).
//
// Nearest rank: the p-th percentile of n samples is the ⌈p/100 · n⌉-th smallest. A percentile only
// means something when enough samples lie above it, so summarize() names a high percentile only
// when at least 10 samples lie above it (p90 from 100 samples, p99 from 1,000); below that it
// gives the maximum, called max, and always the sample count n. "p99" of 50 samples is the maximum.

/** The p-th percentile (0 < p ≤ 100) by nearest rank; undefined for no samples. */
export function percentile(values, p) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The median: the mean of the two middle samples when n is even. */
export function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** True when the p-th percentile of n samples has at least 10 samples above it. */
export function meaningful(p, n) {
  return n * (1 - p / 100) >= 10;
}

/**
 * { n, min, median, p90?, p99?, max }, rounded to `digits`: p90 and p99 appear only when
 * meaningful() (see above). Numbers that are not finite are left out of the sample.
 */
export function summarize(values, digits = 1) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  const r = (x) => (x === undefined ? null : round(x, digits));
  const out = { n: xs.length };
  if (xs.length === 0) return out;
  out.min = r(Math.min(...xs));
  out.median = r(median(xs));
  for (const p of [90, 99]) if (meaningful(p, xs.length)) out[`p${p}`] = r(percentile(xs, p));
  out.max = r(Math.max(...xs));
  return out;
}

export function round(x, digits = 1) {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** a / b rounded, or null when the baseline is 0 or missing. */
export function ratio(a, b, digits = 2) {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, digits) : null;
}

/** The q-quantile (0 < q ≤ 1) by the same nearest rank as percentile(); NaN for no samples. */
export function quantile(values, q) {
  return percentile(values, q * 100) ?? NaN;
}

/**
 * { n, p50, p90?, p99?, max } with `unit` appended to the keys (e.g. "_ms"): the same rule as
 * summarize() — a high percentile is named only when meaningful(), else only the max says it.
 */
export function summary(values, unit = '', digits = 2) {
  const out = { n: values.length };
  if (values.length === 0) return out;
  for (const p of [50, 90, 99])
    if (p === 50 || meaningful(p, values.length)) out[`p${p}${unit}`] = round(percentile(values, p), digits);
  out[`max${unit}`] = round(Math.max(...values), digits);
  return out;
}
