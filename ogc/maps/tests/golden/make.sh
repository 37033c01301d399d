#!/usr/bin/env bash
# Regenerates the golden reference images with GDAL (gdalwarp 3.6), independently of vostok.
# Sources: the demo rasters of data/demo/rasters. Each reference is the same grid a test asks
# vostok for, warped with nearest-neighbour resampling at full resolution (-ovr NONE).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
demo="$here/../../../../data/demo/rasters"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
viking="$tmp/viking.vrt"
gdal_translate -q -of VRT -a_srs IAU_2015:49900 -a_ullr 0 90 360 -90 "$demo/mars_viking_0-360E_2048x1024.jpg" "$viking"
warp() { gdalwarp -q -overwrite -r near -ovr NONE -dstalpha "$@"; }
to_png() { gdal_translate -q -of PNG "$1" "$2"; rm -f "$2.aux.xml"; }

# 1. Earth COG reprojected to Web Mercator: XYZ tile z=2 x=2 y=1.
warp -t_srs EPSG:3857 -te 0 0 10018754.171394622 10018754.171394622 -ts 256 256 "$demo/earth_natural_earth_shaded.tif" "$tmp/earth.tif"
to_png "$tmp/earth.tif" "$here/earth_3857_z2_x2_y1.png"

# 2. Viking mosaic (0..360°E) reprojected to Mars south polar stereographic.
warp -t_srs IAU_2015:49935 -te -2000000 -2000000 2000000 2000000 -ts 256 256 "$viking" "$tmp/south.tif"
to_png "$tmp/south.tif" "$here/viking_49935_south.png"

# 3. A 0..360 request across 180°E on the −180..180 relief: the output grid's longitudes run
#    100..260°E (+lon_wrap=180).
warp -t_srs "+proj=longlat +R=3396190 +lon_wrap=180 +no_defs" -te 100 -60 260 60 -ts 320 240 \
  "$demo/mars_relief_-180-180_1024x512.tif" "$tmp/wrap.tif"
to_png "$tmp/wrap.tif" "$here/relief_100-260E.png"
