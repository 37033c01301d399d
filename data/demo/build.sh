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

# Mars footprints for WFS / OGC API – Features, on the IAU_2015:49900 sphere.
# Crater circles: every crater (type AA) of the nomenclature above as a geodesic circle of 32
# vertices whose radius is half its diameter on a sphere of radius 3,389.5 km; longitudes stay
# east (0..360), unwrapped around the centre, so a circle across 0° stays one ring. Feature ids
# identify features: the file lists Bohar (16054) twice, and it is kept once.
python3 - "$shared/mars/vector/stellarium_mars_nomenclature.tsv" > "$work/mars_craters.json" <<'PY'
import json, math, re, sys
R_KM = 3389.5
features, seen = [], set()
for line in open(sys.argv[1], encoding="utf-8"):
    body, fid, label, code, lat, lon, diameter = line.rstrip("\n").split("\t")
    if code != "AA" or float(diameter) <= 0 or fid in seen:
        continue
    seen.add(fid)
    name = re.match(r'_\("([^"]*)"', label).group(1)
    lat0, lon0, d = float(lat), float(lon), float(diameter)
    r = d / 2 / R_KM
    ring = []
    for i in range(32):
        theta = -2 * math.pi * i / 32
        phi0, lam0 = math.radians(lat0), math.radians(lon0)
        phi = math.asin(math.sin(phi0) * math.cos(r) + math.cos(phi0) * math.sin(r) * math.cos(theta))
        lam = lam0 + math.atan2(math.sin(theta) * math.sin(r) * math.cos(phi0),
                                math.cos(r) - math.sin(phi0) * math.sin(phi))
        ring.append([round(math.degrees(lam), 6), round(math.degrees(phi), 6)])
    ring.append(ring[0])
    features.append({"type": "Feature", "id": int(fid),
                     "properties": {"name": name, "diameter_km": d, "lat": lat0, "lon": lon0},
                     "geometry": {"type": "Polygon", "coordinates": [ring]}})
json.dump({"type": "FeatureCollection", "features": features}, sys.stdout)
PY
ingest "$work/mars_craters.json" --format geojson --crs IAU_2015:49900 --table mars.craters \
  --rename id=feature_id --out "$out/mars_craters.parquet"

# The 30 USGS Mars Chart quadrangles (Davies, Batson & Wu, "Geodesy and Cartography", in Mars,
# Univ. of Arizona Press 1992; the USGS 1:5M series): MC-01 north of 65°N; MC-02…07 30–65°N in
# 60° slices, MC-08…15 0–30°N and MC-16…23 0–30°S in 45° slices, MC-24…29 30–65°S in 60°
# slices, numbered west to east from 180°W (= 180°E); MC-30 south of 65°S. Edges are densified
# every degree, so they follow their parallels and meridians in any client; the caps are
# lon/lat rectangles closed along the pole.
python3 - > "$work/mars_quadrangles.json" <<'PY'
import json, sys
names = ["Mare Boreum", "Diacria", "Arcadia", "Mare Acidalium", "Ismenius Lacus", "Casius",
         "Cebrenia", "Amazonis", "Tharsis", "Lunae Palus", "Oxia Palus", "Arabia", "Syrtis Major",
         "Amenthes", "Elysium", "Memnonia", "Phoenicis Lacus", "Coprates", "Margaritifer Sinus",
         "Sinus Sabaeus", "Iapygia", "Mare Tyrrhenum", "Aeolis", "Phaethontis", "Thaumasia",
         "Argyre", "Noachis", "Hellas", "Eridania", "Mare Australe"]
def edge(a, b):
    steps = max(1, int(round(max(abs(b[0] - a[0]), abs(b[1] - a[1])))))
    return [[a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps] for i in range(steps)]
def box(w, s, e, n):
    corners = [[w, s], [e, s], [e, n], [w, n]]
    return [p for i in range(4) for p in edge(corners[i], corners[(i + 1) % 4])] + [[w, s]]
def cap(lat, pole):
    return edge([-180, lat], [180, lat]) + [[180, lat], [180, pole], [-180, pole], [-180, lat]]
quads = [(cap(65, 90), 65, 90, 0, 360)]
for band, (south, north, width) in enumerate([(30, 65, 60), (0, 30, 45), (-30, 0, 45), (-65, -30, 60)]):
    for k in range(360 // width):
        west = (180 + k * width) % 360
        quads.append((box(west, south, west + width, north), south, north, west, west + width))
quads.append((cap(-65, -90), -90, -65, 0, 360))
features = []
for number, (ring, south, north, west, east) in enumerate(quads, start=1):
    features.append({"type": "Feature", "id": number,
                     "properties": {"code": "MC-%02d" % number, "name": names[number - 1],
                                    "lat_min": south, "lat_max": north,
                                    "lon_min_east": west, "lon_max_east": east},
                     "geometry": {"type": "Polygon", "coordinates": [ring]}})
json.dump({"type": "FeatureCollection", "features": features}, sys.stdout)
PY
ingest "$work/mars_quadrangles.json" --format geojson --crs IAU_2015:49900 --table mars.quadrangles \
  --rename id=number --out "$out/mars_quadrangles.parquet"

# Images for ObsCore 1.1 / SIA 2.0: astropy 8.0.2's test images (BSD-3, see images/README.md)
# with a celestial WCS — M13 (TAN), the WCS paper's 1904-66 test image (tilted AZP) and an HST
# ACS exposure of 47 Tuc (TAN-SIP, pixels stripped to 1×1 by astropy). The STIS spectrum
# beside them has no celestial axes, so it is not an image and is left out. The files are
# copied beside the tables and served at /data; ingest describes them from their headers.
mkdir -p "$out/images"
for image in m13.fits 1904-66_AZP.fits j94f05bgq_flt.fits; do
  install -m 644 "$shared/sia/$image" "$out/images/$image"
done
ingest "$out/images" --format fits-images --table ivoa.obscore --collection demo_images \
  --out "$out/obscore.parquet"

# EPN-TAP 2.0: the IAU Mars nomenclature as granules of mars_features.epn_core. Each named
# feature is one granule (dataproduct_type ci, a catalogue item) on target Mars, in the body
# frame: c1 = east longitude 0..360 and c2 = planetocentric latitude ranges span the feature's
# diameter on a sphere of radius 3,389.5 km (c1min > c1max where a feature straddles 0°, as
# EPN-TAP 2.0 describes; 0..360 when it reaches a pole), s_region is the circle of that
# diameter as a 16-vertex STC-S polygon. Observation columns (times, spectral range, angles,
# instrument) do not apply to named features and stay empty; processing_level 6 is
# "ancillary data"; the dates are when this demo table was first derived (2026-11-22).
python3 - "$shared/mars/vector/stellarium_mars_nomenclature.tsv" > "$work/mars_epn_core.csv" <<'PY'
import csv, math, re, sys
R_KM = 3389.5
DOUBLES = ["time_min", "time_max", "time_sampling_step_min", "time_sampling_step_max",
           "time_exp_min", "time_exp_max", "spectral_range_min", "spectral_range_max",
           "spectral_sampling_step_min", "spectral_sampling_step_max", "spectral_resolution_min",
           "spectral_resolution_max", "c3min", "c3max", "c1_resol_min", "c1_resol_max",
           "c2_resol_min", "c2_resol_max", "c3_resol_min", "c3_resol_max", "incidence_min",
           "incidence_max", "emergence_min", "emergence_max", "phase_min", "phase_max"]
columns = (["granule_uid", "granule_gid", "obs_id", "dataproduct_type", "target_name",
            "target_class", "c1min", "c1max", "c2min", "c2max", "s_region",
            "spatial_frame_type", "instrument_host_name", "instrument_name", "measurement_type",
            "processing_level", "creation_date", "modification_date", "release_date",
            "service_title", "feature_name", "feature_type", "feature_lon", "feature_lat",
            "diameter_km"] + DOUBLES)
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(columns)
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    body, fid, label, code, lat, lon, diameter = line.rstrip("\n").split("\t")
    if fid in seen:
        continue
    seen.add(fid)
    name, kind = re.match(r'_\("([^"]*)","([^"]*)"', label).groups()
    lat0, lon0, d = float(lat), float(lon), max(float(diameter), 0.0)
    r = d / 2 / R_KM
    dlat = math.degrees(r)
    c2min, c2max = max(lat0 - dlat, -90.0), min(lat0 + dlat, 90.0)
    if c2min <= -90 or c2max >= 90:
        c1min, c1max = 0.0, 360.0
    else:
        dlon = min(math.degrees(math.asin(min(math.sin(r) / math.cos(math.radians(lat0)), 1.0))), 180.0)
        if dlon >= 180:
            c1min, c1max = 0.0, 360.0
        else:
            c1min, c1max = (lon0 - dlon) % 360, (lon0 + dlon) % 360
    region = ""
    if d > 0:
        phi0, lam0 = math.radians(lat0), math.radians(lon0)
        points = []
        for i in range(16):
            theta = -2 * math.pi * i / 16
            phi = math.asin(math.sin(phi0) * math.cos(r) + math.cos(phi0) * math.sin(r) * math.cos(theta))
            lam = lam0 + math.atan2(math.sin(theta) * math.sin(r) * math.cos(phi0),
                                    math.cos(r) - math.sin(phi0) * math.sin(phi))
            points += ["%.6f" % (math.degrees(lam) % 360), "%.6f" % math.degrees(phi)]
        region = "Polygon UNKNOWNFrame " + " ".join(points)
    row = {"granule_uid": "mars_feature_" + fid, "granule_gid": "iau_mars_nomenclature",
           "obs_id": fid, "dataproduct_type": "ci", "target_name": "Mars",
           "target_class": "planet", "c1min": round(c1min, 6), "c1max": round(c1max, 6),
           "c2min": round(c2min, 6), "c2max": round(c2max, 6), "s_region": region,
           "spatial_frame_type": "body", "processing_level": 6,
           "creation_date": "2026-11-22T00:00:00", "modification_date": "2026-11-22T00:00:00",
           "release_date": "2026-11-22T00:00:00", "service_title": "mars_features",
           "feature_name": name, "feature_type": kind, "feature_lon": lon0,
           "feature_lat": lat0, "diameter_km": d}
    out.writerow([row.get(c, "") for c in columns])
PY
types=()
for column in time_min time_max time_sampling_step_min time_sampling_step_max time_exp_min \
    time_exp_max spectral_range_min spectral_range_max spectral_sampling_step_min \
    spectral_sampling_step_max spectral_resolution_min spectral_resolution_max c3min c3max \
    c1_resol_min c1_resol_max c2_resol_min c2_resol_max c3_resol_min c3_resol_max \
    incidence_min incidence_max emergence_min emergence_max phase_min phase_max; do
  types+=(--type "$column=double")
done
ingest "$work/mars_epn_core.csv" --format csv --table mars_features.epn_core \
  --ra feature_lon --dec feature_lat "${types[@]}" --type instrument_host_name=text \
  --type instrument_name=text --type measurement_type=text --type obs_id=text \
  --out "$out/mars_epn_core.parquet"

# The configuration snippets ingest writes are folded, with curated metadata, into vostok.toml.
for table in hipparcos bsc messier deep_sky mars_nomenclature mars_craters mars_quadrangles obscore mars_epn_core; do
  rm -f "$out/$table.toml"
done
