import { defineConfig } from 'vitest/config';
import path from 'node:path';

const alias = { '@': import.meta.dirname, 'server-only': path.join(import.meta.dirname, 'scripts/test/server-only-stub.ts') };

// Two projects: `unit` is pure and fast (lib/, server/ with temp dirs); `integration` starts the real
// control plane once (globalSetup) and shares its kubeconfig with every spec through the environment.
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'cli/**/*.test.ts', 'components/**/*.test.ts', 'test/fuzz/**/*.test.ts'],
          setupFiles: ['scripts/test/fast-check-setup.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
