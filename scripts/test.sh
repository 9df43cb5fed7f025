#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, Rust unit, simulator,
# command and end-to-end tests (the real window, the real GNOME Keyring) and the UI's JS tests.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

echo "== cargo fmt --check"
cargo fmt --all --check

echo "== cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

# The tests write only inside temporary folders they make: give them a fresh, empty TMPDIR
# (under the usual one), removed when this script ends however it ends.
base_tmp="${TMPDIR:-/tmp}"
[ -d "$base_tmp" ] && [ -w "$base_tmp" ] || base_tmp=/tmp
TMPDIR="$(mktemp -d "$base_tmp/occudesk-test.XXXXXX")"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

echo "== npm ci (axe-core for the accessibility run, the Tauri CLI for the package)"
npm ci --no-audit --no-fund --loglevel=error

echo "== UI logic (node --test)"
node --test tests/ui/

echo "== Rust tests, including end-to-end, inside a throwaway desktop session (TMPDIR=$TMPDIR)"
# The install test needs the package built first; it runs next, on its own.
./scripts/desktop-session.sh cargo test --workspace --locked -- --include-ignored --skip installed_package

echo "== Install test: build the .deb, install, run, remove"
./scripts/install-test.sh
