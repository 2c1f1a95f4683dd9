#!/usr/bin/env bash
# Install the kiosk as a systemd user service of the current (kiosk) user and enable it.
# Expects the checkout at ~/kiosk, set up with scripts/setup.sh. Also turns off screen
# blanking for the X session (the kiosk does the same at start-up as a second line).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
mkdir -p "$unit_dir"
install -m 0644 "$top/deploy/kiosk.service" "$unit_dir/kiosk.service"
systemctl --user daemon-reload
systemctl --user enable kiosk.service
# Let the user's services run without an open login shell (autologin sessions).
loginctl enable-linger "$USER" 2>/dev/null || true
echo "Installed. Start now with: systemctl --user start kiosk; logs: journalctl --user -u kiosk"
