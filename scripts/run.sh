#!/usr/bin/env bash
# Installs what is missing, then builds and opens Occupancy Desk. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
exec cargo run --release --locked --bin occudesk -- "$@"
