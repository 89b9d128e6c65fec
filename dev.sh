#!/usr/bin/env bash
# The commands of this repository (see README.md):
#   ./dev.sh serve           the site's packages only (requirements-site.txt, no torch), then
#                            serve the site at http://127.0.0.1:8000/colab-guide/
#   ./dev.sh test [ARGS]     everything (requirements.txt, system tools), then every check and
#                            test (ARGS go to pytest)
#   ./dev.sh colab [NAMES]   Colab's own versions (requirements-colab.txt) in .venv-colab, then
#                            every lesson's notebook in them (NAMES: only those lessons)
# Python: any 3.11.5 to 3.13. The newest one on PATH is used, or PYTHON=/path/to/python.
# Written for bash 3.2 as well (macOS's /bin/bash): no ${x,,}, no mapfile, no "${empty[@]}".
# `source dev.sh` defines the functions without running anything (tests/test_dev_sh.py).
set -euo pipefail

SUPPORTED="3.11.5 to 3.13"

# --- Python -----------------------------------------------------------------------------------

# "3.11.7" for an interpreter that runs; nothing and a failure for one that does not.
python_version() {
  "$1" -c 'import sys; sys.stdout.write("%d.%d.%d\n" % tuple(sys.version_info[:3]))' 2>/dev/null
}

# Whether a version ("3.12.1") is one this project supports: 3.11.5 (pymdown-extensions'
# floor) up to 3.13 (the newest the pins are tested on).
version_supported() {
  case $1 in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) return 1 ;;
  esac
  local IFS=.
  # shellcheck disable=SC2086
  set -- $1
  [ "$1" -eq 3 ] && [ "$2" -ge 11 ] && [ "$2" -le 13 ] && { [ "$2" -gt 11 ] || [ "$3" -ge 5 ]; }
}

refuse_python() {
  {
    echo "dev.sh needs Python $SUPPORTED: $1."
    echo "Get one: 'pyenv install 3.13' (https://github.com/pyenv/pyenv), the installer from"
    echo "https://www.python.org/downloads/, or on macOS 'brew install python@3.13'. Then run"
    echo "this again (the newest one on PATH is used), or name it: PYTHON=/path/to/python3.13 $0 ${COMMAND:-test}"
  } >&2
  exit 1
}

# The interpreter to make .venv with: $PYTHON if set (refused if unsupported), else the
# newest supported one of python3.13, python3.12, python3.11, python3 on PATH.
pick_python() {
  local candidate version found=""
  if [ -n "${PYTHON:-}" ]; then
    version=$(python_version "$PYTHON") || refuse_python "PYTHON=$PYTHON does not run"
    version_supported "$version" || refuse_python "PYTHON=$PYTHON is Python $version"
    echo "$PYTHON"
    return
  fi
  for candidate in python3.13 python3.12 python3.11 python3; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    version=$(python_version "$candidate") || continue # a pyenv shim of a version not selected
    if version_supported "$version"; then
      echo "$candidate"
      return
    fi
    found="$found, $candidate is $version"
  done
  refuse_python "found none on PATH${found}"
}

# Make the virtualenv $1 if it is missing, then install the requirements file $2 into it.
# An existing one is kept (serve's light .venv is completed by test's requirements.txt), but
# refused if its Python is unsupported or is not the one PYTHON asks for.
setup_venv() {
  local venv=$1 requirements=$2 python version wanted
  if [ -x "$venv/bin/python" ]; then
    version=$(python_version "$venv/bin/python") || version="broken"
    if ! version_supported "$version"; then
      echo "$venv was made with Python $version; this project needs $SUPPORTED: rm -rf $venv, then run this again" >&2
      exit 1
    fi
    if [ -n "${PYTHON:-}" ]; then
      wanted=$(python_version "$(pick_python)")
      if [ "${wanted%.*}" != "${version%.*}" ]; then
        echo "$venv has Python $version, PYTHON=$PYTHON is $wanted: rm -rf $venv to remake it with that one" >&2
        exit 1
      fi
    fi
  else
    python=$(pick_python)
    echo "==> creating $venv with Python $(python_version "$python") ($python)"
    "$python" -m venv "$venv"
  fi
  echo "==> installing $requirements into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
}

# "3.13" from the "# python: 3.13" line of requirements-colab.txt.
colab_python_version() {
  local line
  while IFS= read -r line; do
    case $line in "# python: "*) echo "${line#"# python: "}" ;; esac
  done <requirements-colab.txt
}

# Colab's Python (the "# python: 3.13" line of requirements-colab.txt): $COLAB_PYTHON, else
# python3.13 on PATH, else one that pyenv, Homebrew or python.org installed.
pick_colab_python() {
  local want candidate version
  want=$(colab_python_version)
  if [ -n "${COLAB_PYTHON:-}" ]; then
    version=$(python_version "$COLAB_PYTHON") || version="none (it does not run)"
    if [ "${version%.*}" != "$want" ]; then
      echo "COLAB_PYTHON=$COLAB_PYTHON is Python $version; Colab's is $want (requirements-colab.txt)" >&2
      exit 1
    fi
    echo "$COLAB_PYTHON"
    return
  fi
  for candidate in "python$want" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/"python$want" \
    /opt/homebrew/bin/"python$want" /usr/local/bin/"python$want" \
    /Library/Frameworks/Python.framework/Versions/"$want"/bin/"python$want"; do
    version=$(python_version "$candidate") || continue
    if [ "${version%.*}" = "$want" ]; then
      echo "$candidate"
      return
    fi
  done
  {
    echo "./dev.sh colab needs Python $want, Colab's (requirements-colab.txt); none found."
    echo "Get it: 'pyenv install $want', https://www.python.org/downloads/, or 'brew install python@$want';"
    echo "or name it: COLAB_PYTHON=/path/to/python$want ./dev.sh colab"
  } >&2
  exit 1
}

# .venv-colab with Colab's Python and pins; remade when Colab's Python changed.
setup_colab_venv() {
  local python want version
  python=$(pick_colab_python)
  want=$(python_version "$python")
  if [ -x .venv-colab/bin/python ]; then
    version=$(python_version .venv-colab/bin/python) || version="broken"
    if [ "${version%.*}" != "${want%.*}" ]; then
      echo "==> .venv-colab has Python $version, Colab's is ${want%.*}: making it again"
      rm -rf .venv-colab
    fi
  fi
  if [ ! -x .venv-colab/bin/python ]; then
    echo "==> creating .venv-colab with Python $want ($python)"
    "$python" -m venv .venv-colab
  fi
  echo "==> installing requirements-colab.txt into .venv-colab (the first time: torch and its CUDA libraries, several GB)"
  .venv-colab/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-colab.txt
}

# --- System tools -----------------------------------------------------------------------------

# A Chrome or Chromium binary: $CHROMIUM_PATH if set, else the usual places on Debian,
# other Linux systems and macOS. Prints nothing if there is none.
find_chromium() {
  local candidate
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    if [ -x "$CHROMIUM_PATH" ]; then echo "$CHROMIUM_PATH"; fi
    return 0
  fi
  for candidate in "$(command -v chromium 2>/dev/null || true)" \
    "$(command -v google-chrome 2>/dev/null || true)" \
    "$(command -v google-chrome-stable 2>/dev/null || true)" \
    "$(command -v chromium-browser 2>/dev/null || true)" \
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
    "/Applications/Chromium.app/Contents/MacOS/Chromium" \
    "$HOME/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" \
    "$HOME/Applications/Chromium.app/Contents/MacOS/Chromium"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
}

# Whether Noto Sans CJK is installed (Chinese text in the browser tests' screenshots). The
# font list is captured first: `fc-list | grep -q` under pipefail fails at random (grep
# exits on the first match, fc-list dies of SIGPIPE, exit 141). macOS has no fontconfig and
# draws Chinese with its own PingFang fonts.
has_cjk_font() {
  local fonts
  if ! command -v fc-list >/dev/null 2>&1; then
    [ "$(uname -s)" = Darwin ]
    return
  fi
  fonts=$(fc-list ':lang=zh' family 2>/dev/null) || return 1
  case $fonts in
    *[Nn]oto\ [Ss]ans\ [Cc][Jj][Kk]*) return 0 ;;
    *) return 1 ;;
  esac
}

# Whether WenQuanYi Micro Hei is installed: tools/pdf.py prints the Chinese PDF with it (with
# Noto CJK, chromium's PDF text turns common characters into look-alike Kangxi radicals, so a
# search for 使用 finds nothing). macOS: its own fonts are assumed to do (not checked).
has_wqy_font() {
  local fonts
  [ "$(uname -s)" = Darwin ] && return 0
  fonts=$(fc-list 'WenQuanYi Micro Hei' family 2>/dev/null) || return 1
  [ -n "$fonts" ]
}

# Of the tools named ($@: chromium, cjk-font, wqy-font, or a command), print those missing.
missing_tools() {
  local tool
  for tool in "$@"; do
    case $tool in
      chromium) [ -n "$(find_chromium)" ] || echo chromium ;;
      cjk-font) has_cjk_font || echo cjk-font ;;
      wqy-font) has_wqy_font || echo wqy-font ;;
      *) command -v "$tool" >/dev/null 2>&1 || echo "$tool" ;;
    esac
  done
}

# The Debian package that brings a tool (`7z` is p7zip-full's: bookworm's 7zip has only 7zz).
debian_package() {
  case $1 in
    cjk-font) echo fonts-noto-cjk ;;
    wqy-font) echo fonts-wqy-microhei ;;
    bsdtar) echo libarchive-tools ;;
    7z) echo p7zip-full ;;
    *) echo "$1" ;;
  esac
}

# How to get a tool on macOS, with Homebrew (https://brew.sh).
homebrew_hint() {
  case $1 in
    chromium) echo "brew install --cask google-chrome   # or set CHROMIUM_PATH to a Chrome or Chromium binary" ;;
    cjk-font) echo "brew install --cask font-noto-sans-cjk" ;;
    bsdtar) echo "brew install libarchive && export PATH=\"\$(brew --prefix libarchive)/bin:\$PATH\"" ;;
    7z) echo "brew install p7zip" ;;
    *) echo "brew install $1" ;;
  esac
}

describe_tool() {
  case $1 in
    chromium) echo "Chrome or Chromium (browser tests)" ;;
    cjk-font) echo "the Noto Sans CJK fonts (Chinese in screenshots)" ;;
    wqy-font) echo "WenQuanYi Micro Hei (Chinese in the offline PDF)" ;;
    bsdtar) echo "bsdtar (libarchive)" ;;
    7z) echo "7z (7-Zip)" ;;
    *) echo "$1" ;;
  esac
}

# Without apt-get: say what is missing and how to get it here, then stop (exit 1).
explain_missing() {
  local tool
  {
    echo "==> missing:"
    for tool in "$@"; do echo "      $(describe_tool "$tool")"; done
    echo "dev.sh installs these with apt-get (Debian, Ubuntu), which this system does not have."
    if [ "$(uname -s)" = Darwin ]; then
      echo "On macOS, with Homebrew (https://brew.sh):"
      for tool in "$@"; do echo "      $(homebrew_hint "$tool")"; done
    else
      echo "Install them with this system's package manager (Debian's names: $(
        for tool in "$@"; do printf '%s ' "$(debian_package "$tool")"; done
      )), or set CHROMIUM_PATH to a Chrome or Chromium binary."
    fi
    echo "Then run ./dev.sh ${COMMAND:-test} again."
  } >&2
  exit 1
}

# Install the tools named ($@) that are missing: with apt-get where there is one, else
# explain. Exports CHROMIUM_PATH (tests, tools/diagrams.py and bench read it).
setup_system() {
  local missing=() tool packages=() sudo=""
  if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$CHROMIUM_PATH" ]; then
    echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable: point it at a Chrome or Chromium binary, or unset it" >&2
    exit 1
  fi
  for tool in $(missing_tools "$@"); do missing+=("$tool"); done
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || explain_missing "${missing[@]}"
    for tool in "${missing[@]}"; do packages+=("$(debian_package "$tool")"); done
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "==> apt-get install ${packages[*]}"
    $sudo apt-get update -qq </dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null
  fi
  CHROMIUM_PATH=$(find_chromium)
  export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
}

# --- The commands -----------------------------------------------------------------------------

main() {
  cd "$(dirname "$0")"
  export NO_MKDOCS_2_WARNING=1
  COMMAND=${1:-}
  case "$COMMAND" in
    serve)
      setup_venv .venv requirements-site.txt
      CHROMIUM_PATH=$(find_chromium) && export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
      .venv/bin/python tools/notebooks.py
      .venv/bin/python tools/diagrams.py --check || echo "(render diagrams: .venv/bin/python tools/diagrams.py; needs chromium)"
      exec .venv/bin/mkdocs serve --dev-addr 127.0.0.1:8000
      ;;
    test)
      shift
      setup_venv .venv requirements.txt
      setup_system chromium cjk-font wqy-font zip unzip bsdtar 7z
      echo "==> ruff"
      .venv/bin/ruff check .
      .venv/bin/ruff format --check .
      echo "==> notebooks and diagrams in sync with their sources"
      .venv/bin/python tools/notebooks.py --check
      .venv/bin/python tools/diagrams.py --check
      echo "==> pytest (2 workers: most tests wait on a notebook kernel or a child process)"
      exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
      ;;
    colab)
      shift
      setup_colab_venv
      setup_system unzip # the datasets lesson unzips with `!unzip`, as on Colab
      echo "==> every lesson's notebook on Colab's versions (alone, offline, stand-in google.colab)"
      exec .venv-colab/bin/python tools/colab_image.py "$@"
      ;;
    *)
      echo "usage: ./dev.sh serve | ./dev.sh test [pytest args] | ./dev.sh colab [lesson ...]" >&2
      exit 2
      ;;
  esac
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
