#!/usr/bin/env bash
# Ingest benchmark (issue 2): `vostok gen-catalog --rows N` through the whole ingest path
# (generate, HEALPix index, sort with spilling, Parquet), release build.
# Reports rows/s and peak RSS, and fails when they miss the targets:
# at least 1,000,000 rows/s and under 1 GiB of peak RSS.
#   benches/ingest.sh [ROWS]     (default 10,000,000)
set -euo pipefail
rows=${1:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
# VOSTOK_BIN: an already built release binary (skips the build).
[ -n "${VOSTOK_BIN:-}" ] || (cd "$root" && cargo build --release --quiet --bin vostok)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/time -f '%e %M' -o "$work/time" \
  "${VOSTOK_BIN:-$target/release/vostok}" gen-catalog --rows "$rows" --seed 1 --out "$work/stars.parquet" \
  2> "$work/log"
read -r seconds peak_kib < "$work/time"
rate=$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
peak_mib=$((peak_kib / 1024))
size_mib=$(( $(stat -c %s "$work/stars.parquet") / 1048576 ))
echo "gen-catalog --rows $rows: ${seconds} s, ${rate} rows/s, peak RSS ${peak_mib} MiB, Parquet ${size_mib} MiB"
status=0
[ "$rate" -ge 1000000 ] || { echo "MISS: below 1,000,000 rows/s"; status=1; }
[ "$peak_mib" -lt 1024 ] || { echo "MISS: peak RSS not under 1 GiB"; status=1; }
exit $status
