#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager and kube-scheduler v1.20.2 from Debian's
# `kubernetes` source package with Debian's Go, once, and caches them outside the repo.
# Prints the directory holding the binaries on its last line.
set -euo pipefail
VERSION=1.20.2
CACHE="${KF_CACHE_DIR:-$HOME/.cache/kube-forensics}/k8s-v$VERSION"
BINS=(kube-apiserver kube-controller-manager kube-scheduler)
have=1; for b in "${BINS[@]}"; do [ -x "$CACHE/$b" ] || have=0; done
if [ $have = 1 ]; then echo "$CACHE"; exit 0; fi

here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/ensure-deps.sh" cluster >&2

if [ ! -f /etc/apt/sources.list.d/kf-bookworm-src.sources ]; then
  # deb822 form, with the same Signed-By as Debian's own entry (a one-line deb-src conflicts with it).
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    > /etc/apt/sources.list.d/kf-bookworm-src.sources
  apt-get update -qq >/dev/null
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/kf-k8s-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "build-k8s: fetching Debian source package kubernetes" >&2
apt-get source -qq --download-only kubernetes >/dev/null 2>&1 || apt-get source --download-only kubernetes >&2
dpkg-source -x --skip-patches kubernetes_*.dsc src >/dev/null 2>&1 || dpkg-source -x kubernetes_*.dsc src >&2
cd src
# Debian patches: apply them (they make the tree build with Debian's toolchain).
if [ -f debian/patches/series ] && [ ! -f .pc/applied-patches ]; then
  while read -r p; do
    [ -z "$p" ] || [ "${p#\#}" != "$p" ] && continue
    patch -p1 -s --forward < "debian/patches/$p" >&2 || echo "build-k8s: patch $p did not apply, continuing" >&2
  done < debian/patches/series
fi
# reflect2 < 1.0.2 segfaults under Go >= 1.18.
rm -rf vendor/github.com/modern-go/reflect2
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 vendor/github.com/modern-go/reflect2
rm -f vendor/github.com/modern-go/reflect2/go.mod
export GOFLAGS=-mod=vendor GO111MODULE=on GOTOOLCHAIN=local KUBE_GIT_VERSION="v$VERSION" KUBE_GIT_TREE_STATE=clean
export GOCACHE="$work/gocache" GOPATH="$work/gopath"
echo "build-k8s: make generated_files" >&2
make generated_files >&2
echo "build-k8s: make ${BINS[*]} (about 6 min on 2 cores)" >&2
make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >&2
mkdir -p "$CACHE.tmp"
for b in "${BINS[@]}"; do cp "_output/local/bin/linux/amd64/$b" "$CACHE.tmp/$b" 2>/dev/null || cp "$(find _output -type f -name "$b" | head -1)" "$CACHE.tmp/$b"; done
rm -rf "$CACHE"; mv "$CACHE.tmp" "$CACHE"
echo "$CACHE"
