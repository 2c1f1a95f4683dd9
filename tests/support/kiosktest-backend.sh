#!/bin/sh
# CUPS backend for the kiosk's tests: "prints" each job into the folder named by its device URI
# (kiosktest:/path/to/dir) as job-<id>.pdf. A file named FAULT in that folder makes it report
# that printer-state-reason (e.g. media-empty-error) the way a real printer's backend does,
# with a STATE: line, and stop the queue (exit 4 = CUPS_BACKEND_STOP). A number in SLOW makes
# it take that many seconds (a job to cancel while it prints).
if [ $# -eq 0 ]; then
  echo 'direct kiosktest "Unknown" "Kiosk test backend"'
  exit 0
fi
dir=${DEVICE_URI#kiosktest:}
if [ -s "$dir/FAULT" ]; then
  read -r fault < "$dir/FAULT"
  echo "STATE: +$fault" >&2
  echo "ERROR: kiosktest: printer reports $fault" >&2
  exit 4
fi
if [ -s "$dir/SLOW" ]; then
  read -r seconds < "$dir/SLOW"
  sleep "$seconds"
fi
echo "STATE: -media-empty-error,media-jam-error,cover-open-error" >&2
if [ -n "$6" ]; then cat "$6"; else cat; fi > "$dir/job-$1.part" || exit 1
mv "$dir/job-$1.part" "$dir/job-$1.pdf"
exit 0
