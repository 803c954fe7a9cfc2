// Every page and API route of the app, found on disk (so a new one is covered without editing the
// tests), and a way to call each with concrete parameters.
import fs from 'node:fs';
import path from 'node:path';

const APP = path.join(import.meta.dirname, '..', '..', 'app');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

function walk(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, name) : e.name === name ? [p] : [];
  });
}

/** `app/(dash)/clusters/[cluster]/page.tsx` → `/clusters/[cluster]` (route groups dropped). */
function patternOf(file: string): string {
  const rel = path.relative(APP, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${rel.join('/')}`;
}

export function pageRoutes(): string[] {
  return walk(APP, 'page.tsx').map(patternOf).sort();
}

export function apiRoutes(): Array<{ pattern: string; methods: Method[] }> {
  return walk(path.join(APP, 'api'), 'route.ts').map((f) => {
    const src = fs.readFileSync(f, 'utf8');
    const methods = METHODS.filter((m) => new RegExp(`export\\s+(?:const|async\\s+function|function)\\s+${m}\\b`).test(src));
    return { pattern: patternOf(f), methods };
  }).sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** Fills `[name]` segments; an unknown parameter fails loudly, so a new route gets a value here. */
export function fill(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_, k: string) => {
    if (!(k in params)) throw new Error(`no value for route parameter [${k}] in ${pattern}: add one to the test`);
    return encodeURIComponent(params[k]!);
  });
}
