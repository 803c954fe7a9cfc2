// Minimal semver for Kubernetes versions: `v1.20.2`, `1.22.17`, `v1.23.0-alpha.4`,
// `v1.21.3-gke.1200`, `v1.22.8+k3s1`. Precedence follows semver.org §11 (a pre-release sorts before
// its release; numeric identifiers compare numerically); build metadata (`+…`) is ignored.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

const VERSION_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses a version; a missing patch is 0. Returns null when the text is not a version. */
export function parseVersion(text: string): Version | null {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return null;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
  };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an !== bn) return an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = compareIdentifiers(x, y);
    if (c !== 0) return Math.sign(c);
  }
  return 0;
}

const COMPARATOR_RE = /^(<=|>=|<|>|=)?(.+)$/;

/**
 * Whether `version` is in `range`: comparators separated by spaces must all hold, alternatives are
 * separated by `||`. Returns null when the version or the range cannot be read.
 */
export function satisfiesRange(version: string, range: string): boolean | null {
  const v = parseVersion(version);
  if (!v) return null;
  let any = false;
  for (const alternative of range.split('||')) {
    const parts = alternative.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return null;
    let all = true;
    for (const part of parts) {
      const m = COMPARATOR_RE.exec(part);
      const bound = m?.[2] === undefined ? null : parseVersion(m[2]);
      if (!m || !bound) return null;
      const c = compareVersions(v, bound);
      const op = m[1] ?? '=';
      const ok = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : c === 0;
      if (!ok) all = false;
    }
    if (all) any = true;
  }
  return any;
}
