/** Parses "15s", "2m", "1h30m", "500ms" or a bare number of seconds into milliseconds. */
export function parseDuration(s: string): number {
  const t = s.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) { total += Number(m[1]) * unit[m[2]!]!; consumed += m[0].length; }
  if (consumed !== t.length || total <= 0) throw new Error(`not a duration: ${JSON.stringify(s)} (use e.g. 15s, 2m, 1h)`);
  return Math.round(total);
}
