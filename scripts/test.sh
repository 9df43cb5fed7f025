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

echo "== UI logic (node --test)"
node --test tests/ui/

echo "== Rust tests, including end-to-end, inside a throwaway desktop session"
# The install test needs the package built first; it runs next, on its own.
./scripts/desktop-session.sh cargo test --workspace --locked -- --include-ignored --skip installed_package

echo "== Install test: build the .deb, install, run, remove"
./scripts/install-test.sh
