#!/usr/bin/env bash
# Feature streaming benchmark (issue 8): a generated collection of 1,000,000 polygon footprints
# (`vostok gen-footprints`, through the ingest path: WKB, bbox columns, HEALPix-sorted by centroid),
# served by a release build; a bbox query over a quarter of the sphere fetched as streamed
# GeoJSON through WFS (storage order) and OGC API (ordered by id for paging).
# Baseline in the same run: the same query's RESULTTYPE=hits (scan, bbox pruning, exact test,
# no encoding). Reports features/s and the server's peak RSS, and fails below 200,000 features/s.
#   benches/features.sh [ROWS]      (default 1,000,000)
set -euo pipefail
rows=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
# VOSTOK_BIN: an already built release binary (skips the build).
[ -n "${VOSTOK_BIN:-}" ] || (cd "$root" && cargo build --release --quiet --bin vostok)
vostok=${VOSTOK_BIN:-$target/release/vostok}
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

RUST_LOG=warn "$vostok" gen-footprints --rows "$rows" --seed 1 --row-group-rows 16384 --out "$work/footprints.parquet"
cat > "$work/vostok.toml" <<TOML
[server]
data_dir = "var"
[schemas.bench.tables.footprints]
path = "footprints.parquet"
[ogc.features]
max_limit = $rows
[ogc.features.collections.footprints]
table = "bench.footprints"
id = "footprint_id"
geometry = { wkb = "geometry" }
TOML
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$vostok" serve --config "$work/vostok.toml" --bind "127.0.0.1:$port" &
server=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fsS "$url/health" > /dev/null 2>&1 && break; sleep 0.2; done

bbox="-180,-30,0,30"
wfs="$url/wfs?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=vostok:footprints&BBOX=$bbox,urn:ogc:def:crs:OGC:1.3:CRS84"
rss() { awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$server/status"; }
idle_rss=$(grep VmRSS "/proc/$server/status" | awk '{ print int($2 / 1024) }')
seconds() { curl -fsS -o "$2" -w '%{time_total}' "$1"; }

hits_s=$(seconds "$wfs&RESULTTYPE=hits" "$work/hits.xml")
matched=$(grep -o 'numberMatched="[0-9]*"' "$work/hits.xml" | tr -dc 0-9)
wfs_s=$(seconds "$wfs&OUTPUTFORMAT=application/json" "$work/wfs.json")
wfs_n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["numberReturned"])' "$work/wfs.json")
api_s=$(seconds "$url/ogcapi/collections/footprints/items?bbox=$bbox&limit=$rows" "$work/api.json")
api_n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["numberReturned"])' "$work/api.json")
peak=$(rss)
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
mib() { echo $(( $(stat -c %s "$1") / 1048576 )); }
echo "collection: $rows footprints; bbox $bbox matches $matched"
echo "baseline RESULTTYPE=hits (scan + filter, no encoding): ${hits_s} s"
echo "WFS GeoJSON, storage order: $wfs_n features, $(mib "$work/wfs.json") MiB in ${wfs_s} s = $(rate "$wfs_n" "$wfs_s") features/s"
echo "OGC API GeoJSON, id order:  $api_n features, $(mib "$work/api.json") MiB in ${api_s} s = $(rate "$api_n" "$api_s") features/s"
echo "server RSS: ${idle_rss} MiB idle, ${peak} MiB peak"
status=0
[ "$wfs_n" = "$matched" ] && [ "$api_n" = "$matched" ] || { echo "MISS: responses hold $wfs_n / $api_n features, $matched expected"; status=1; }
[ "$(rate "$wfs_n" "$wfs_s")" -ge 200000 ] || { echo "MISS: WFS GeoJSON below 200,000 features/s"; status=1; }
exit $status
