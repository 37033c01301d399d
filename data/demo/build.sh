#!/usr/bin/env bash
# Rebuilds the demo tables from the real data in ../shared/data with `vostok ingest`.
#   data/demo/build.sh [OUT_DIR]      (default: data/demo)
# VOSTOK names the vostok binary (default: `cargo run --release --quiet --`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${VOSTOK_SHARED:-$here/../../../shared}/data
out=${1:-$here}
mkdir -p "$out"
read -r -a vostok <<< "${VOSTOK:-cargo run --release --quiet --}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ingest() { "${vostok[@]}" ingest "$@"; }

# Hipparcos (XHIP via d3-celestial, BSD-3): GeoJSON points with V magnitude and B−V.
ingest "$shared/stars/stars.14.json" --format geojson --table stars.hipparcos \
  --rename id=hip --rename mag=vmag --rename bv=b_v --out "$out/hipparcos.parquet"

# Yale Bright Star Catalogue, 5th ed. (public domain), as xplanet lays it out:
# Dec (deg), RA (hours), V, "name", HR, HD, SAO — turned into CSV with RA in degrees;
# HD and SAO numbers of 0 mean "none".
{
  echo 'hr,name,ra,dec,vmag,hd,sao'
  grep -v '^#' "$shared/stars/xplanet_BSC.txt" | grep -v '^[[:space:]]*$' |
    awk -F'"' '{
      split($1, pos, " "); split($3, ids, " "); name = $2; gsub(/^ +| +$/, "", name)
      printf "%s,\"%s\",%.4f,%s,%s,%s,%s\n", ids[1], name, pos[2] * 15, pos[1], pos[3],
        (ids[2] == 0 ? "" : ids[2]), (ids[3] == 0 ? "" : ids[3])
    }'
} > "$work/bsc.csv"
ingest "$work/bsc.csv" --format csv --table stars.bsc --out "$out/bsc.parquet"

# Messier objects and deep-sky objects (SEDS, SAC 8.1 via d3-celestial, BSD-3).
ingest "$shared/dso/messier.json" --format geojson --table dso.messier \
  --rename id=messier --out "$out/messier.parquet"
# Two supernova remnants there carry their size in place of their declination (255, 120):
# they are left out rather than published at a wrong position.
python3 - "$shared/dso/dsos.14.json" > "$work/deep_sky.json" <<'PY'
import json, sys
collection = json.load(open(sys.argv[1]))
collection["features"] = [f for f in collection["features"]
                          if abs(f["geometry"]["coordinates"][1]) <= 90]
json.dump(collection, sys.stdout)
PY
ingest "$work/deep_sky.json" --format geojson --table dso.deep_sky \
  --rename id=designation --rename desig=catalogue_designation --out "$out/deep_sky.parquet"

# IAU Mars nomenclature (USGS Gazetteer, public domain, via stellarium-data):
# Mars, feature id, _("Name","kind"), feature type code, lat, east lon 0..360, diameter km.
{
  echo 'feature_id,name,kind,type_code,lat,lon,diameter_km'
  awk -F'\t' '{
    split($3, label, "\"")
    printf "%s,\"%s\",\"%s\",%s,%s,%s,%s\n", $2, label[2], label[4], $4, $5, $6, $7
  }' "$shared/mars/vector/stellarium_mars_nomenclature.tsv"
} > "$work/mars_nomenclature.csv"
ingest "$work/mars_nomenclature.csv" --format csv --table mars.nomenclature \
  --ra lon --dec lat --out "$out/mars_nomenclature.parquet"

# The configuration snippets ingest writes are folded, with curated metadata, into vostok.toml.
for table in hipparcos bsc messier deep_sky mars_nomenclature; do rm -f "$out/$table.toml"; done
