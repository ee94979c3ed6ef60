#!/usr/bin/env bash
# Long fuzzing run of one target: fuzz/run.sh parser|ndjson|mapping [SECONDS] (default 1800).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on stable Rust without a sanitizer.
# New inputs go to target/fuzz-corpus/TARGET; crashes to fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh parser|ndjson|mapping [SECONDS]}
seconds=${2:-1800}
corpus=../target/fuzz-corpus/$target
mkdir -p "$corpus"
exec cargo fuzz run -s none -O "$target" "$corpus" "seeds/$target" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1
