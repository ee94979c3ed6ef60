#!/usr/bin/env bash
# Side-by-side benchmark of esql and DuckDB on the case-fixed seed rule (see compare.py).
# Usage: bench/compare.sh [--events N] [--runs K] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
cargo build --release --quiet
exec python3 bench/compare.py "$@"
