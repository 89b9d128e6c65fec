#!/usr/bin/env bash
# The two commands of this repository (see README.md):
#   ./dev.sh serve          set everything up, then serve the site at http://127.0.0.1:8000/colab-guide/
#   ./dev.sh test [ARGS]    set everything up, then run every check and test (ARGS go to pytest)
# Needs only Python 3.11 (the torch==2.13.0 CPU wheel is for 3.11) and, for tests, apt-get.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
export NO_MKDOCS_2_WARNING=1 CHROMIUM_PATH

setup_python() {
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
  fi
  echo "==> installing requirements.txt"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
}

# Debian packages the tests need, installed only when missing.
setup_system() {
  local missing=()
  [ -x "$CHROMIUM_PATH" ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
  command -v zip >/dev/null || missing+=(zip)
  command -v unzip >/dev/null || missing+=(unzip)
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "==> apt-get install ${missing[*]}"
  $sudo apt-get update -qq </dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

case "${1:-}" in
  serve)
    setup_python
    .venv/bin/python tools/notebooks.py
    .venv/bin/python tools/diagrams.py --check || echo "(render diagrams: .venv/bin/python tools/diagrams.py; needs chromium)"
    exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000
    ;;
  test)
    shift
    setup_python
    setup_system
    echo "==> ruff"
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    echo "==> notebooks and diagrams in sync with their sources"
    .venv/bin/python tools/notebooks.py --check
    .venv/bin/python tools/diagrams.py --check
    echo "==> pytest (2 workers: most tests wait on a notebook kernel or a child process)"
    exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
    ;;
  *)
    echo "usage: ./dev.sh serve | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
