#!/usr/bin/env bash
# Builds the release app and its Linux packages with the Tauri CLI:
#   target/release/bundle/deb/Occupancy Desk_<version>_amd64.deb
#   target/release/bundle/rpm/Occupancy Desk-<version>-1.x86_64.rpm
# No AppImage: its bundler downloads linuxdeploy while it builds, which fails offline.
# Both packages also install the command-line tool, /usr/bin/occudesk-cli (tauri.conf.json,
# bundle.linux.deb.files and rpm.files): `tauri build` runs ONE `cargo build --release` for the
# app and the CLI (the `-p` arguments after `--` go to cargo), so the crates they share compile
# once, with one set of features, and the bundler then copies the prebuilt target/release/occudesk-cli.
# Extra arguments go to `tauri build` (e.g. --bundles deb).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

# The Tauri CLI, pinned in package-lock.json; the npm registry ships it prebuilt.
npm ci --no-audit --no-fund --loglevel=error

args=("$@")
((${#args[@]})) || args=(--bundles deb,rpm)
# No stale CLI can ride along: cargo links it again in this build.
rm -f target/release/occudesk-cli
node_modules/.bin/tauri build --ci "${args[@]}" -- -p occudesk -p occudesk-cli

echo "== packages"
find target/release/bundle \( -name '*.deb' -o -name '*.rpm' \) -exec ls -l {} +
