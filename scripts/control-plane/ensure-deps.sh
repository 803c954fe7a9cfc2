#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing, and says what it installs.
# Usage: ensure-deps.sh [group...]   groups: cluster browser bench pdf (default: all)
set -euo pipefail
groups=("$@"); [ ${#groups[@]} -gt 0 ] || groups=(cluster browser bench pdf)
want=()
for g in "${groups[@]}"; do
  case "$g" in
    # prometheus: the integration suite's history-source scenario (test/integration/prometheus.test.ts).
    cluster) want+=(etcd-server etcd-client golang-go golang-github-modern-go-reflect2-dev openssl dpkg-dev make rsync prometheus) ;;
    browser) want+=(chromium fonts-dejavu-core) ;;
    bench)   want+=(prometheus panicparse time golang-go jq) ;;
    pdf)     want+=(poppler-utils) ;;
    *) echo "ensure-deps: unknown group $g" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "ensure-deps: missing Debian packages: ${missing[*]} (run as root, or install them)" >&2; exit 1
fi
echo "ensure-deps: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's etcd-server and prometheus packages may start system services (where an init system
# runs); the tests start their own. Stop those services through the init system only: never by
# process name, which would also kill the etcd of a test control plane running on this machine.
for svc in etcd prometheus prometheus-node-exporter; do
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$svc" ]; then
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
  fi
done
echo "ensure-deps: done"
