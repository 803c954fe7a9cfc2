import type { NextConfig } from 'next';
import { STATIC_SECURITY_HEADERS } from './server/auth/csp';

const nextConfig: NextConfig = {
  // Native and Node-only modules stay out of the bundle; they are required at run time on the server.
  serverExternalPackages: ['better-sqlite3', '@kubernetes/client-node', 'playwright-core'],
  poweredByHeader: false,
  typedRoutes: false,
  // Every answer, static files included; the CSP itself is per request (proxy.ts: page nonces).
  headers: async () => [{ source: '/:path*', headers: STATIC_SECURITY_HEADERS }],
};

export default nextConfig;
