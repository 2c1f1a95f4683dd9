#!/usr/bin/env bash
# The test command: sets up what it needs on a fresh machine, then lint, types and tests.
# Extra arguments go to pytest (e.g. scripts/test.sh -k search -x).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
bash scripts/setup.sh
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check .
.venv/bin/mypy kiosk devices screens
.venv/bin/python -m pytest "$@"
