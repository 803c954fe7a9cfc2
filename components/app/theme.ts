/** The colour theme, kept in a cookie so the server renders the right one (no flash on load). */
export type Theme = 'dark' | 'light';
export const THEME_COOKIE = 'kf-theme';

export function parseTheme(v: string | undefined): Theme {
  return v === 'light' ? 'light' : 'dark';
}
