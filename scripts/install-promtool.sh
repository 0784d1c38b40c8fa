#!/usr/bin/env bash
# Puts promtool (from Debian's prometheus package) in .promtool/usr/bin/ for PromtoolRulesTest, without installing
# the Prometheus server or its service. Does nothing when promtool is already on the PATH or in .promtool/; where
# there is no apt-get, or the package cannot be had, it fails: `make test` needs promtool (the test fails without it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.promtool
if command -v promtool >/dev/null || [ -x "$dir/usr/bin/promtool" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "install-promtool: no apt-get here; put promtool (Prometheus 2.x) on the PATH" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if (cd "$work" && apt-get download prometheus >/dev/null 2>&1) \
    || { apt-get update -qq >/dev/null 2>&1 && (cd "$work" && apt-get download prometheus >/dev/null 2>&1); }; then
  mkdir -p "$dir"
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mkdir -p "$dir/usr/bin"
  cp "$work/root/usr/bin/promtool" "$dir/usr/bin/promtool"
  echo "install-promtool: $("$dir/usr/bin/promtool" --version 2>&1 | head -1)"
else
  echo "install-promtool: Debian's prometheus package could not be downloaded; put promtool on the PATH" >&2
  exit 1
fi
