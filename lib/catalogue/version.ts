// Version numbers and half-open version ranges for the metric catalogue.
// Kubernetes prints `v1.28.10`, `v1.28.10-eks-1234`, `v1.37.0-beta.0`; etcd prints `3.4.23`.
// Pre-release and build suffixes are ignored: a 1.37.0-beta.0 binary already carries the 1.37
// metric names (the facts file cites changes by their first tag, e.g. kubernetes-1.37.0-beta.0).

export type Version = readonly [number, number, number];

/** Parses `v1.20.2`, `1.20`, `3.4.23+git`; returns undefined for anything else. */
export function parseVersion(s: string | undefined): Version | undefined {
  if (s === undefined) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(s.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** [from, until): `from` inclusive, `until` exclusive; either side open when absent. */
export interface VersionRange { from?: string; until?: string }

export function inRange(v: Version, r: VersionRange | undefined): boolean {
  if (!r) return true;
  const from = parseVersion(r.from);
  const until = parseVersion(r.until);
  if (from && compareVersions(v, from) < 0) return false;
  if (until && compareVersions(v, until) >= 0) return false;
  return true;
}

export function formatVersion(v: Version): string {
  return `${v[0]}.${v[1]}.${v[2]}`;
}
