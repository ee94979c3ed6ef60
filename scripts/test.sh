#!/usr/bin/env bash
# The test command: the Rust tests (`cargo test --release`), then the official Elasticsearch
# clients against `esql serve` (scripts/clients.sh installs them under target/ when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release
cargo test --release
scripts/clients.sh
