#!/usr/bin/env bash
# The install test: builds the .deb and .rpm, then (as root, or with sudo) installs it, starts the
# installed `occudesk --demo` in a throwaway desktop session over WebDriver, removes it and
# checks that only the user's data folder is left (tests/installed_package.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

# Both packages, as `scripts/package.sh` makes them for users; the .deb is the one installed.
rm -rf target/release/bundle/deb target/release/bundle/rpm
./scripts/package.sh
deb="$(find "$PWD/target/release/bundle/deb" -name '*.deb' | head -n1)"
rpm="$(find "$PWD/target/release/bundle/rpm" -name '*.rpm' | head -n1)"
[ -n "$deb" ] && [ -n "$rpm" ] || { echo "install-test: a package is missing (deb: '$deb', rpm: '$rpm')" >&2; exit 1; }
echo "== install test: $deb"
OCCUDESK_DEB="$deb" ./scripts/desktop-session.sh \
  cargo test --locked --test installed_package -- --ignored
