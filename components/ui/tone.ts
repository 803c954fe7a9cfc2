/** The one status palette: every ok / warn / critical signal in the product uses these names. */
export type Tone = 'ok' | 'warn' | 'crit' | 'info' | 'bundle' | 'neutral';

/** Joins class names, skipping falsy ones. */
export function cx(...names: Array<string | false | null | undefined>): string {
  return names.filter(Boolean).join(' ');
}
