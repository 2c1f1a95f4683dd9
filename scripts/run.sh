#!/usr/bin/env bash
# The run command: sets up a fresh machine, then starts the demo kiosk — windowed, with the
# sample catalog, the virtual receipt printer and the simulated ID card reader on loopback.
# Receipts the virtual printer "prints" land in var/receipts/ as .txt and .png.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${SDL_VIDEODRIVER:-}" ]; then
  # No screen (a server or a CI box): run on a virtual X screen rather than fail. The receipts
  # still land in var/receipts/; `kiosk screenshots DIR` shows what the screens look like.
  echo "kiosk: no display found; running on a virtual screen (Xvfb). Stop with Ctrl-C." >&2
  exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/kiosk demo "$@"
fi
exec .venv/bin/kiosk demo "$@"
