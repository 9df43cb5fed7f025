#!/usr/bin/env bash
# Runs a command inside a throwaway desktop session: a virtual X display (Xvfb), a private
# D-Bus session bus and an unlocked GNOME Keyring, with HOME and XDG_* in a temporary folder,
# so tests never touch the user's real keyring, settings or display.
#
#   scripts/desktop-session.sh cargo test
#
# Without the private bus, WebKitGTK waits ~25 s per start for a desktop portal that never
# answers; with it the window is up in about a second.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ -z "${OCCUDESK_SESSION_DIR:-}" ]; then
  # Keep the toolchain where it is before HOME moves.
  export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  OCCUDESK_SESSION_DIR="$(mktemp -d -t occudesk-session.XXXXXX)"
  export OCCUDESK_SESSION_DIR
  trap 'rm -rf "$OCCUDESK_SESSION_DIR"' EXIT
  export HOME="$OCCUDESK_SESSION_DIR/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
  export XDG_RUNTIME_DIR="$OCCUDESK_SESSION_DIR/run"
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
  # Re-enter this script on a fresh session bus; the bus and everything on it end with it.
  status=0
  dbus-run-session -- "$0" "$@" || status=$?
  exit "$status"
fi

# --- inside the private bus ---

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$OCCUDESK_SESSION_DIR/display" 2>"$OCCUDESK_SESSION_DIR/xvfb.log" &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s "$OCCUDESK_SESSION_DIR/display" ] && break
  sleep 0.05
done
if [ ! -s "$OCCUDESK_SESSION_DIR/display" ]; then
  echo "desktop-session: Xvfb did not start:" >&2
  cat "$OCCUDESK_SESSION_DIR/xvfb.log" >&2
  exit 1
fi
export DISPLAY=":$(head -n1 "$OCCUDESK_SESSION_DIR/display")"

# A fresh login keyring, created and unlocked with a throwaway password; it becomes the
# default collection that the keyring crate writes to.
eval "$(printf 'occudesk-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export OCCUDESK_TEST_SESSION=1

"$@"
