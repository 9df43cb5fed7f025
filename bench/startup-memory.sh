#!/usr/bin/env bash
# Start-up and memory benchmark (a measurement, not a test): the release app beside a bare
# Tauri 2 window (bench/bare-window), both under Xvfb with a private D-Bus session. Prints
# the median start-to-interactive time of 10 launches, PSS and RSS of all processes idle and
# after 50 charts, and the binary and package sizes. Arguments go to bench/startup_memory.py
# (e.g. --runs 5 --charts 20).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/package.sh --bundles deb
# Same release profile and tauri version as the app (it is a workspace member).
cargo build --release --locked -p bare-window --features custom-protocol
deb="$(find "$PWD/target/release/bundle/deb" -name '*.deb' | head -n1)"
exec ./scripts/desktop-session.sh python3 bench/startup_memory.py \
  --app "$PWD/target/release/occudesk" --bare "$PWD/target/release/bare-window" --deb "$deb" "$@"
