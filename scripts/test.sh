#!/usr/bin/env bash
# The test command: sets up what it needs on a fresh machine, then lint, types and tests.
# Extra arguments go to pytest (e.g. scripts/test.sh -k search -x).
#
#   scripts/test.sh --fresh [pytest args]   clone HEAD into a temporary folder and run the whole
#                                           command there, as CI does: nothing this checkout
#                                           has lying around (.venv, var/, untracked files)
#                                           can make it pass. Run it before you push.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

if [ "${1:-}" = "--fresh" ]; then
  shift
  if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "test.sh --fresh: uncommitted changes are NOT in the clone (it tests HEAD)" >&2
  fi
  fresh=$(mktemp -d /tmp/kiosk-fresh.XXXXXX)
  trap 'rm -rf "$fresh"' EXIT
  git clone -q --no-hardlinks "$top" "$fresh/repo"
  echo "test.sh --fresh: testing $(git rev-parse --short HEAD) in $fresh/repo" >&2
  start=$(date +%s)
  status=0
  (cd "$fresh/repo" && bash scripts/test.sh "$@") || status=$?
  echo "test.sh --fresh: exit $status after $(( $(date +%s) - start )) s" >&2
  exit "$status"
fi

bash scripts/setup.sh
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check .
.venv/bin/mypy kiosk devices screens township hall protocol county tests bench
.venv/bin/lint-imports --no-cache
.venv/bin/python -m pytest "$@"
