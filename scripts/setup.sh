#!/usr/bin/env bash
# Set up this checkout on a fresh Debian machine: system packages, a virtual environment in
# .venv, and the project installed into it (editable, with dev tools). Idempotent and quick
# when nothing changed. Sourced or run by scripts/run.sh and scripts/test.sh.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

# System packages the kiosk and its tests use:
#   fonts-noto-cjk            Simplified Chinese face for the screen and raster receipts, and
#                             embedded (subset) in the form PDFs (kiosk/forms/fonts.py)
#   cups printer-driver-cups-pdf   the A4 printing stack (tests print to a PDF queue)
#   cups-filters              pdftopdf: copies and page handling in the tests' private cupsd
#                             (tests/support/cups_env.py); a dependency of cups, named here
#   sane-utils                scanimage, with SANE's test backend as the tests' scanner
#   poppler-utils             pdfinfo/pdftoppm: tests check the PDFs CUPS produced
#   xvfb                      a virtual display for running the real window headless
#   libusb-1.0-0              pyusb's backend: USB receipt printers (usb://VID:PID)
#   postgresql                the hall service's database for several kiosks; the tests run a
#                             private server (initdb into a temporary folder, loopback port)
#   chromium chromium-driver  the window, manager and dashboard pages tested in a real browser
#                             (Playwright drives /usr/bin/chromium; it never downloads one)
apt_packages=(fonts-noto-cjk cups printer-driver-cups-pdf cups-filters sane-utils poppler-utils
              xvfb libusb-1.0-0 postgresql chromium chromium-driver)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing system packages: ${missing[*]}" >&2
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The virtual environment; reinstall only when pyproject.toml changed.
py=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$py" -m venv .venv
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
