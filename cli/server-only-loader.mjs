// Node module-resolution hook: `server-only` resolves with the "react-server" export condition,
// i.e. to its empty build, instead of the one that throws.
export async function resolve(specifier, context, next) {
  if (specifier === 'server-only') return next(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
  return next(specifier, context);
}
