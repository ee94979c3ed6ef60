#!/usr/bin/env bash
# Side-by-side benchmark of esql and DuckDB: the case-fixed seed rule in every format
# (compare.py), or the rule-shape suite (rules.py, bench/rules/).
# Usage: bench/compare.sh [--events N] [--runs K] [--dir DIR] [--suite seed|rules|all]
set -euo pipefail
cd "$(dirname "$0")/.."
# DuckDB (and Polars) in a virtualenv of their own: Debian's Python refuses a global pip install.
venv=target/bench/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import duckdb, polars" 2>/dev/null || "$venv/bin/pip" install --quiet duckdb==1.4.1 polars==2.1.0
cargo build --release --quiet
exec "$venv/bin/python" bench/compare.py "$@"
