#!/usr/bin/env bash
# The run command: sets up a fresh machine, then starts the demo kiosk — windowed, with the
# sample catalog, the virtual receipt printer and the simulated ID card reader on loopback.
# Receipts the virtual printer "prints" land in var/receipts/ as .txt and .png.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bash scripts/setup.sh
exec .venv/bin/kiosk demo "$@"
