#!/usr/bin/env bash
# The web page's browser tests (tests/ui/): headless Chromium driven by Selenium against
# `esql serve`. Installs Debian's chromium and chromium-driver and a virtualenv with selenium
# and pytest under target/ when missing, quietly and once; screenshots go to
# target/ui-screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 ||
    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null)
fi
venv=target/clients/ui
marker="$venv/.esql-installed-selenium-4-pytest"
if [ ! -f "$marker" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'selenium>=4.20,<5' pytest
  touch "$marker"
fi
[ -x target/release/esql ] || cargo build --release --quiet
echo "== Web page in $(chromium --version 2>/dev/null | head -1)"
"$venv/bin/pytest" -q -p no:cacheprovider -s tests/ui
