#!/usr/bin/env bash
# Installs the npm package `harperdb` into a project-local folder for the real-instance tests.
# HarperDB is under its own evaluation licence: it is installed at test time, never committed.
set -euo pipefail
dir=${1:-.harperdb}
version=${2:-4.7.29}
installed="$dir/node_modules/harperdb/package.json"
if [ -f "$installed" ] && grep -q "\"version\": \"$version\"" "$installed"; then
  echo "harperdb $version already installed in $dir"
  exit 0
fi
command -v node >/dev/null || { echo "Node.js is needed for the real-instance tests (harperdb $version); install Node.js 20" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is needed to install harperdb $version; install npm" >&2; exit 1; }
mkdir -p "$dir"
echo "installing harperdb $version into $dir (about a minute)"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "harperdb@$version"
