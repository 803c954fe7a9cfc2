// Series identity helpers shared by the rate, histogram and catalogue code.
//
// In Prometheus a series is identified by its full label set; `sum by (a, b)` groups series by
// the values of `a` and `b`, treating a missing label as the empty string (PromQL data model:
// "a label with an empty label value is considered equivalent to a label that does not exist",
// prometheus/docs `concepts/data_model.md`).

export type Labels = Record<string, string>;

/**
 * A stable, unambiguous key for a label set: names sorted, empty values dropped (they are
 * equivalent to a missing label), JSON-encoded so no value can forge a separator.
 */
export function seriesKey(labels: Labels, exclude?: ReadonlySet<string> | readonly string[]): string {
  const skip = exclude === undefined ? undefined : exclude instanceof Set ? exclude : new Set(exclude as readonly string[]);
  const names = Object.keys(labels).filter((n) => labels[n] !== '' && !(skip?.has(n) ?? false)).sort();
  const parts: string[] = [];
  for (const n of names) parts.push(n, labels[n]!);
  return JSON.stringify(parts);
}

/** A copy of `labels` without the given names. */
export function withoutLabels(labels: Labels, names: readonly string[]): Labels {
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) if (!names.includes(k)) out[k] = v;
  return out;
}

/** The `by` labels of a series, missing ones as '' (as `sum by (…)` sees them). */
export function pickLabels(labels: Labels, by: readonly string[]): Labels {
  const out: Labels = {};
  for (const n of by) out[n] = labels[n] ?? '';
  return out;
}
