#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those missing, and says what it installs.
# Usage: ensure-deps.sh [group...]   groups: cluster browser bench pdf (default: all)
set -euo pipefail
groups=("$@"); [ ${#groups[@]} -gt 0 ] || groups=(cluster browser bench pdf)
want=()
for g in "${groups[@]}"; do
  case "$g" in
    cluster) want+=(etcd-server etcd-client golang-go golang-github-modern-go-reflect2-dev openssl dpkg-dev make rsync) ;;
    browser) want+=(chromium fonts-dejavu-core) ;;
    bench)   want+=(prometheus) ;;
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
# Debian's etcd-server and prometheus packages start system services; tests run their own.
for svc in etcd prometheus prometheus-node-exporter; do
  (command -v systemctl >/dev/null && systemctl stop "$svc" 2>/dev/null) || true
  pkill -x "$svc" 2>/dev/null || true
done
echo "ensure-deps: done"
