#!/usr/bin/env bash
# The official Elasticsearch clients against `esql serve` (tests/clients/): the Python client
# at 9.x and at a pinned 8.x, each in a virtualenv under target/, and the JS client from npm
# under target/node. Installs what is missing, quietly, and only once; then runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

# A virtualenv at $1 holding the packages $2..., made once (a marker names what it holds).
py_env() {
  local dir=$1; shift
  local marker="$dir/.esql-installed-$(echo "$*" | tr -c 'a-zA-Z0-9.=<>,\n' '_')"
  if [ ! -f "$marker" ]; then
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install -q "$@"
    touch "$marker"
  fi
}
py_env target/clients/py9 'elasticsearch>=9,<10' pyarrow pytest
py_env target/clients/py8 'elasticsearch==8.19.3' pyarrow pytest

node_dir=target/clients/node
if [ ! -f "$node_dir/.esql-installed" ]; then
  mkdir -p "$node_dir"
  (cd "$node_dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund '@elastic/elasticsearch@9' apache-arrow)
  touch "$node_dir/.esql-installed"
fi

[ -x target/release/esql ] || cargo build --release --quiet
for py in py9 py8; do
  echo "== Python client ($py): $(target/clients/$py/bin/python -c 'import elasticsearch; print(elasticsearch.__versionstr__)')"
  target/clients/$py/bin/pytest -q -p no:cacheprovider tests/clients
done
echo "== JS client: $(node -p "require('./$node_dir/node_modules/@elastic/elasticsearch/package.json').version")"
NODE_MODULES_DIR="$PWD/$node_dir/node_modules" ESQL_ROOT="$PWD" ESQL_BIN="$PWD/target/release/esql" \
  node --test tests/clients/js_client.test.mjs
