import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and Node-only modules stay out of the bundle; they are required at run time on the server.
  serverExternalPackages: ['better-sqlite3', '@kubernetes/client-node'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
