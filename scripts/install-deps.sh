#!/usr/bin/env bash
# Installs what Occupancy Desk needs to build, run and test on Debian/Ubuntu,
# skipping what is already present. Safe to run again.
set -euo pipefail

PACKAGES=(
  build-essential pkg-config curl file
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev libssl-dev libdbus-1-dev
  xvfb xauth webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools
  imagemagick fonts-dejavu-core xdotool
  # xclip: the e2e test of Copy reads the clipboard back (the window itself may only write).
  xclip
)

# node runs the UI's unit tests (node --test); any version from 18 on will do.
command -v node >/dev/null || PACKAGES+=(nodejs)
# npm installs the Tauri CLI that builds the packages (scripts/package.sh).
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "install-deps: Rust is missing; install it from https://rustup.rs and run this again" >&2
  exit 1
fi

# The test command checks formatting and lints.
for component in clippy rustfmt; do
  cargo "$([ "$component" = rustfmt ] && echo fmt || echo clippy)" --version >/dev/null 2>&1 ||
    rustup component add "$component"
done

# tauri-driver proxies WebDriver to WebKitWebDriver for the end-to-end tests.
if ! command -v tauri-driver >/dev/null && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" ]; then
  echo "install-deps: installing tauri-driver 2.x"
  cargo install --locked tauri-driver --version '^2' >/dev/null
fi
