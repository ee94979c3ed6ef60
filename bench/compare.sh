#!/usr/bin/env bash
# Side-by-side benchmark of esql and DuckDB: the case-fixed seed rule in every format
# (compare.py), or the rule-shape suite (rules.py, bench/rules/).
# Usage: bench/compare.sh [--events N] [--runs K] [--dir DIR] [--suite seed|rules|all]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
cargo build --release --quiet
exec python3 bench/compare.py "$@"
