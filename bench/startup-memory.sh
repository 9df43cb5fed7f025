#!/usr/bin/env bash
# Start-up and memory benchmark (a measurement, not a test): the release app beside a bare
# Tauri 2 window (bench/bare-window), both under Xvfb with a private D-Bus session. Prints
# the median start-to-interactive time of 10 launches, PSS and RSS of all processes idle and
# after 50 charts, and the binary and package sizes. Then, on demo data with the calendar
# pinned (OCCUDESK_TODAY): PSS of all processes with a year of PT1H loaded and every tab
# drawn, beside the bare window's idle PSS as a ratio; and two years of PT15M for the largest
# floor/site, its table paged to the end, with the app process's peak RSS and the window's JS
# heap (or the web process's RSS where WebKit does not tell it). Arguments go to
# bench/startup_memory.py (e.g. --runs 5 --charts 20, --loaded none|year|pt15m, --max-pages 50).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/package.sh --bundles deb
# Same release profile and tauri version as the app (it is a workspace member).
cargo build --release --locked -p bare-window --features custom-protocol
deb="$(find "$PWD/target/release/bundle/deb" -name '*.deb' | head -n1)"
exec ./scripts/desktop-session.sh python3 bench/startup_memory.py \
  --app "$PWD/target/release/occudesk" --bare "$PWD/target/release/bare-window" --deb "$deb" "$@"
