#!/usr/bin/env bash
# TAP over HTTP (issues 5 and 6), release build, on a generated catalogue of ROWS stars:
# - per-request overhead: `SELECT TOP 1` p50/p95 (target under 5 ms);
# - cone r = 0.5° through /tap/sync and through /scs: p50/p95 over 64 centres (targets: TAP
#   under 20 ms, SCS under 10 ms);
# - a 1-million-row result streamed as BINARY2 and as CSV: rows/s, and the server's peak RSS
#   after a 1-million-row and then a 10-million-row result (flat memory: the second may not
#   grow by more than the first's share).
# Baselines in the same run: GET /health latency (the floor of any request), and the server's
# RSS before any query.
#   benches/tap.sh [ROWS]      (default 10,000,000)
set -euo pipefail
rows=${1:-10000000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
# VOSTOK_BIN: an already built release binary (skips the build).
[ -n "${VOSTOK_BIN:-}" ] || (cd "$root" && cargo build --release --quiet --bin vostok)
vostok=${VOSTOK_BIN:-$target/release/vostok}
python=${PYTHON:-$root/conformance/.venv/bin/python}
data="$target/bench-data"
mkdir -p "$data"
stars="$data/stars-$rows-1.parquet"
[ -f "$stars" ] || RUST_LOG=warn "$vostok" gen-catalog --rows "$rows" --seed 1 --out "$stars"

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cat > "$work/vostok.toml" <<TOML
[server]
data_dir = "var"
[tap]
maxrec_default = $rows
[schemas.bench.tables.stars]
path = "$stars"
position = { ra = "ra", dec = "dec" }
[schemas.bench.tables.stars.columns]
source_id = { ucd = "meta.id;meta.main", principal = true }
ra = { ucd = "pos.eq.ra;meta.main", unit = "deg", principal = true }
dec = { ucd = "pos.eq.dec;meta.main", unit = "deg", principal = true }
TOML
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$vostok" serve --config "$work/vostok.toml" --bind "127.0.0.1:$port" &
server=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$url/health" > /dev/null 2>&1 && break; sleep 0.2; done

"$python" "$root/benches/tap_client.py" "$url" "$server" "$rows"
