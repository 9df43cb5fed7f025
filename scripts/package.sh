#!/usr/bin/env bash
# Builds the release app and its Linux packages with the Tauri CLI:
#   target/release/bundle/deb/Occupancy Desk_<version>_amd64.deb
#   target/release/bundle/rpm/Occupancy Desk-<version>-1.x86_64.rpm
# No AppImage: its bundler downloads linuxdeploy while it builds, which fails offline.
# Extra arguments go to `tauri build` (e.g. --bundles deb).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

# The Tauri CLI, pinned in package-lock.json; the npm registry ships it prebuilt.
npm ci --no-audit --no-fund --loglevel=error

args=("$@")
((${#args[@]})) || args=(--bundles deb,rpm)
node_modules/.bin/tauri build --ci "${args[@]}"

echo "== packages"
find target/release/bundle \( -name '*.deb' -o -name '*.rpm' \) -exec ls -l {} +
