#!/usr/bin/env bash
# The test command: the Rust tests (`cargo test --release`), the SQL translation on DuckDB
# and Spark (scripts/sql.sh), then the official Elasticsearch clients against `esql serve`
# (scripts/clients.sh) and the web page in Chromium (scripts/ui.sh); each installs what it
# needs under target/ when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# Outside tools the tests call: curl (the HTTPS test's client that checks the certificate)
# and openssl (the Python client's HTTPS test makes its certificate with it).
for tool in curl openssl; do
  if ! command -v "$tool" >/dev/null; then
    apt-get install -y -qq "$tool" >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null)
  fi
done
# Each step says how long it took, so a slow CI run shows where its time went.
step() {
  local start=$SECONDS
  "$@"
  echo "== $* took $((SECONDS - start)) s"
}
step cargo build --release
step cargo test --release
step scripts/sql.sh
step scripts/clients.sh
step scripts/ui.sh
