#!/usr/bin/env bash
# Peak memory and time of esql on the hostile inputs of the reliability issue (one line
# each: exit code, peak RSS, seconds). Usage: bench/limits.sh [WORK_DIR]
# Needs GNU time (/usr/bin/time, Debian package `time`) and python3; builds a few GB of
# data in WORK_DIR (default: a temporary folder, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
cargo build --release --quiet
esql=$PWD/target/release/esql
work=${1:-$(mktemp -d)}
mkdir -p "$work"
export ESQL_CACHE=off
python3 bench/limits_data.py "$work"
measure() {
  local name=$1; shift
  /usr/bin/time -o "$work/time.txt" -f "%x %M %e" "$@" >/dev/null 2>&1 || true
  read -r code kb secs < <(tail -n 1 "$work/time.txt")
  printf '%-40s exit %-3s %8d MB %7.2f s\n' "$name" "$code" "$((kb / 1024))" "$secs"
}
measure "1 GiB of NUL bytes in a .gz" "$esql" run -e "FROM x" --data "$work/nul"
measure "query file /dev/zero" "$esql" run /dev/zero
measure "5,000-term OR chain" "$esql" run "$work/or.esql"
measure "100,000-term + chain (run)" "$esql" run "$work/plus.esql"
measure "100,000-term + chain (fmt --check)" "$esql" fmt --check "$work/plus.esql"
measure "LIMIT 20000 | STATS count(*)" "$esql" run -e "FROM t | LIMIT 20000 | STATS c = count(*)" --data "$work/rows"
measure "SORT | LIMIT 10 over 900k wide rows" "$esql" run -e "FROM t | SORT n DESC | LIMIT 10" --data "$work/wide"
measure "STATS over 5M groups" "$esql" run -e "FROM t | STATS c = count(*) BY k | STATS n = count(*)" --data "$work/groups"
measure "8,000 EVAL commands" "$esql" run "$work/evals.esql"
measure "IN with 100,000 values" "$esql" run "$work/in.esql"
measure "GROK with 2,000 captures" "$esql" run "$work/grok2k.esql"
measure "GROK with 20,000 captures" "$esql" run "$work/grok20k.esql"
measure "repeat to 2 GB" "$esql" run -e 'ROW a = repeat("ab", 1000000000)'
[ -z "${1:-}" ] && rm -rf "$work"
