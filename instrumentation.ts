// Next.js calls register() once when the server starts: the flight recorder starts with the
// server, not with the first page view, and exactly once per process. Before anything else, the
// bind guard: listening beyond loopback without an auth mode stops the server (exit 78, EX_CONFIG).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { authConfig, startupRefusal } = await import('./server/auth/config');
    const why = startupRefusal(authConfig());
    if (why) {
      console.error(`[kube-forensics] ${why}`);
      process.exit(78);
    }
    const { getRuntime } = await import('./server/runtime');
    await getRuntime();
    // On shutdown, end the war rooms' live feeds first, so draining connections does not wait on them.
    const { closeLiveFeeds } = await import('./server/incidents/service');
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, closeLiveFeeds);
  }
}
