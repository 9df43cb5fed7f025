#!/usr/bin/env bash
# Regenerates every icon from the one source image, icons/app-icon.svg, with the Tauri CLI,
# keeping only the sizes our bundles use (Linux PNGs, macOS .icns, Windows .ico).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/tauri icon icons/app-icon.svg -o icons
node_modules/.bin/tauri icon icons/app-icon.svg -o icons -p 256
rm -rf icons/android icons/ios icons/Square*Logo.png icons/StoreLogo.png icons/128x128@2x.png
