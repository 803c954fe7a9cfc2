/**
 * Parses the verbose output of `/readyz?verbose` and `/livez?verbose`
 * (k8s.io/apiserver/pkg/server/healthz/healthz.go `handleRootHealth`):
 *   [+]ping ok
 *   [-]etcd failed: reason withheld
 *   readyz check passed            (or: "readyz check failed")
 * Excluded checks print `[+]name excluded: ok`.
 */
export interface ParsedHealthCheck { name: string; ok: boolean; reason?: string }
export interface ParsedHealth { ok: boolean; checks: ParsedHealthCheck[] }

export function parseHealthVerbose(text: string, httpStatus: number): ParsedHealth {
  const checks: ParsedHealthCheck[] = [];
  let verdict: boolean | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^\[([+-])\]([^\s]+)\s*(.*)$/.exec(line);
    if (m) {
      const ok = m[1] === '+';
      const rest = (m[3] ?? '').trim();
      const reason = ok ? undefined : rest.replace(/^failed:?\s*/, '') || 'failed';
      checks.push({ name: m[2]!, ok, ...(reason ? { reason } : {}) });
      continue;
    }
    if (/check passed$/.test(line)) verdict = true;
    else if (/check failed$/.test(line)) verdict = false;
  }
  return { ok: verdict ?? (httpStatus === 200 && checks.every((c) => c.ok)), checks };
}
