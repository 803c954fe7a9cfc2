// Next.js calls register() once when the server starts: the flight recorder starts with the
// server, not with the first page view, and exactly once per process.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getRuntime } = await import('./server/runtime');
    await getRuntime();
  }
}
