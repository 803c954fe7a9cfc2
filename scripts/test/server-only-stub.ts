// Under vitest, `server-only` would throw (it only resolves in React Server Component builds).
// Tests import server modules directly, so the guard is replaced by this empty module there.
export {};
