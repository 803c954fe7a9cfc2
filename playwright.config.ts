import { defineConfig } from '@playwright/test';

/**
 * E2E against a running kube-forensics.
 * - E2E_BASE_URL set (CI: the lead's script builds once and starts `next start`): tests use that server.
 * - Unset: a dev server is started on 127.0.0.1:3210 with this process's environment
 *   (KUBECONFIG, KF_DATA_DIR, KF_BUNDLES…), and stopped afterwards.
 * Browser: Debian's Chromium (`scripts/control-plane/ensure-deps.sh browser`); no download.
 */
const external = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const DEV_PORT = 3210;
const baseURL = external ?? `http://127.0.0.1:${DEV_PORT}`;

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
          command: `npx next dev -p ${DEV_PORT} -H 127.0.0.1`,
          url: `${baseURL}/api/healthz`,
          reuseExistingServer: false,
          timeout: 180_000,
          stdout: 'ignore' as const,
          stderr: 'pipe' as const,
          env: { NEXT_TELEMETRY_DISABLED: '1' },
        },
      }),
});
