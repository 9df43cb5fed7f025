#!/usr/bin/env bash
# Installs what is missing, then builds and opens Occupancy Desk on demo data. Extra
# arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# Demo data by default, so a new user sees the app working with no account.
exec cargo run --release --locked --bin occudesk -- --demo "$@"
