#!/usr/bin/env bash
# Run once, as root, on each terminal: make the system's CUPS delete a job's document as soon
# as it has printed. CUPS keeps printed documents for a day by default (PreserveJobFiles
# 86400), which on a kiosk would leave citizens' ID card copies in /var/spool/cups.
# The kiosk cannot purge completed jobs itself (Purge-Jobs needs CUPS admin rights).
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "run as root: sudo $0" >&2; exit 2; }
cupsctl PreserveJobFiles=No
# Old spool documents of printed jobs, from before this setting:
find /var/spool/cups -maxdepth 1 -name 'd*-*' -type f -mmin +5 -delete 2>/dev/null || true
echo "CUPS now deletes each document once printed (PreserveJobFiles No)."
