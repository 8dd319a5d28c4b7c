#!/usr/bin/env bash
# Runs the exhaustive f32 accuracy sweep (all 2^32 inputs) for the given functions, one JSON file
# per function in docs/accuracy/exhaustive/, skipping functions that already have one. Slow:
# minutes to an hour per function on 2 cores; safe to stop and rerun (finished files are kept).
#
#   tools/exhaustive.sh identity squared_relu swish snake
#
# Functions PyTorch also has are better run through tools/torch_accuracy.py --exhaustive, which
# measures actlab and PyTorch in one sweep.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/accuracy/exhaustive
mkdir -p "$out"
cargo build --release -p actlab-cli --quiet
for f in "$@"; do
  [ -s "$out/$f.json" ] && { echo "skip $f (done)"; continue; }
  echo "exhaustive: $f" >&2
  # Exit status 1 means a bound was exceeded; keep the file either way (it says so).
  ./target/release/actlab accuracy --exhaustive --function "$f" --json > "$out/$f.json.part" || [ $? -eq 1 ]
  mv "$out/$f.json.part" "$out/$f.json"
done
