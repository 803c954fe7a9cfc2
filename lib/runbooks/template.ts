/** Command templating: `{{name}}` replaced by the cluster's values; what is missing stays visible. */
import type { RunbookValues, ValueName } from './types';

export interface RenderedCommand { text: string; missing: ValueName[] }

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Values are shell-quoted when they hold anything but safe characters (a value never runs as code). */
export function shellQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** Placeholders whose value is a list of flags (already quoted piecewise). */
const RAW: ReadonlySet<ValueName> = new Set(['etcdCerts']);

export function renderCommand(template: string, values: RunbookValues): RenderedCommand {
  const missing = new Set<ValueName>();
  const text = template.replace(PLACEHOLDER, (_, name: string) => {
    const v = values[name as ValueName];
    if (v === undefined || v === '') { missing.add(name as ValueName); return `<${name}>`; }
    return RAW.has(name as ValueName) ? v : shellQuote(v);
  });
  return { text, missing: [...missing] };
}

export function placeholdersOf(template: string): ValueName[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as ValueName))];
}

/**
 * The API path of a resource's collection: `/api/v1/namespaces/NS/configmaps` or
 * `/apis/GROUP/VERSION/namespaces/NS/RESOURCE` (cluster-scoped: without the namespace part).
 */
export function collectionPath(r: { group: string; version: string; resource: string; namespace?: string }): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${base}${r.namespace ? `/namespaces/${r.namespace}` : ''}/${r.resource}`;
}

/** Adds values computed from others: the collection path of the top consumer once its namespace is known. */
export function withDerived(values: RunbookValues): RunbookValues {
  const out = { ...values };
  if (!out.resourcePath && out.resource && out.version !== undefined) {
    const namespaced = out.namespaced !== 'false';
    if (!namespaced || out.namespace) {
      out.resourcePath = collectionPath({ group: out.group ?? '', version: out.version, resource: out.resource, namespace: namespaced ? out.namespace : undefined });
    }
  }
  return out;
}
