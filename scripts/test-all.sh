#!/usr/bin/env bash
# The whole test suite, as the README's Quick start and .ci/run call it (after `npm ci`):
#   1. Debian packages the suite needs (installed only when missing, as root; printed);
#   2. the Kubernetes 1.20.2 binaries (built once from Debian's source package, cached by version);
#   3. type check, lint, unit tests, a production build, the integration tests on the real
#      control plane, and the browser tests (Playwright with Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Debian packages"
bash scripts/control-plane/ensure-deps.sh cluster browser bench pdf
step "Kubernetes v1.20.2 binaries"
bash scripts/control-plane/build-k8s.sh
step "Type check"
npx tsc --noEmit
step "Lint"
npx eslint .
step "Unit tests"
npx vitest run --project unit
step "Production build"
npx next build
step "Integration tests (real control plane)"
npx vitest run --project integration
step "Browser tests (Playwright, Debian Chromium)"
npx playwright test
