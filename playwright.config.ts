import { defineConfig } from '@playwright/test';

/**
 * E2E against a running kube-forensics.
 * - E2E_BASE_URL set: tests use that server (e.g. one started by hand on a live cluster).
 * - Unset (CI, `npm run test:all`): the production build (rebuilt if stale) is started on
 *   127.0.0.1:3210 on what `npm run demo` shows, the demo bundles recorded from a real control
 *   plane, with a fresh data directory and no kubeconfig, so runs are deterministic. Specs that
 *   need a live cluster start their own control plane and dashboard (e2e/nospace.spec.ts).
 * Browser: Debian's Chromium (`scripts/control-plane/ensure-deps.sh browser`); no download.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const external = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const DEV_PORT = 3210;
const baseURL = external ?? `http://127.0.0.1:${DEV_PORT}`;
const demoBundles = fs.readdirSync(path.join(import.meta.dirname, 'testdata', 'bundles')).filter((f) => f.endsWith('.tar.gz')).sort()
  .map((f) => path.join(import.meta.dirname, 'testdata', 'bundles', f)).join(path.delimiter);

// Specs that read "the cluster" use the healthy baseline unless told otherwise; the incident bundles
// have specs of their own that name them.
if (!external) process.env.E2E_CLUSTER_ID ??= 'bundle-healthy-baseline';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'artifacts/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  use: {
    baseURL,
    viewport: { width: 1920, height: 1080 },
    colorScheme: 'dark',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.E2E_CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  ...(external
    ? {}
    : {
        webServer: {
          command: `node scripts/build-if-stale.mjs && npx next start -p ${DEV_PORT} -H 127.0.0.1`,
          url: `${baseURL}/api/healthz`,
          reuseExistingServer: false,
          timeout: 600_000, // includes a rebuild when sources changed since the last build
          stdout: 'ignore' as const,
          stderr: 'pipe' as const,
          env: {
            NEXT_TELEMETRY_DISABLED: '1',
            KF_BUNDLES: process.env.KF_BUNDLES ?? demoBundles,
            KF_DATA_DIR: process.env.KF_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kf-e2e-')),
            KUBECONFIG: process.env.E2E_KUBECONFIG ?? path.join(os.tmpdir(), 'kf-e2e-no-kubeconfig'),
          },
        },
      }),
});
