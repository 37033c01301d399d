//! Resampling a layer into an output grid of any supported CRS: each output pixel centre is
//! taken through longitude/latitude into the source grid, at the overview level that matches
//! the output scale, and sampled by nearest neighbour or bilinear interpolation.

use crate::config::Resampling;
use crate::crs::{Crs, MapCrs, ProjectionKind};
use crate::layer::Layer;
use crate::raster::{ChunkCache, PixelReader, RasterError};

/// An output grid: `bbox` is `[minx, miny, maxx, maxy]` with x = easting/longitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub crs: Crs,
    pub bbox: [f64; 4],
    pub width: u32,
    pub height: u32,
}

impl Grid {
    fn x(&self, col: f64) -> f64 {
        self.bbox[0] + col * (self.bbox[2] - self.bbox[0]) / f64::from(self.width)
    }

    fn y(&self, row: f64) -> f64 {
        self.bbox[3] - row * (self.bbox[3] - self.bbox[1]) / f64::from(self.height)
    }
}

/// Which resolution level to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelChoice {
    /// The coarsest overview still at least as fine as the output.
    ByScale,
    FullResolution,
}

/// Resampled band values, pixel-interleaved, with a validity flag per pixel (false outside the
/// source, on NoData and where the projection is undefined).
pub struct Warped {
    pub width: u32,
    pub height: u32,
    pub bands: usize,
    pub values: Vec<f32>,
    pub valid: Vec<bool>,
}

/// Full-resolution source pixel coordinates of the output pixel centres.
enum SourceCoords {
    /// x depends on the column only and y on the row only.
    Separable {
        cols: Vec<f64>,
        rows: Vec<f64>,
    },
    PerPixel(Vec<(f64, f64)>),
}

impl SourceCoords {
    fn at(&self, col: usize, row: usize, width: usize) -> (f64, f64) {
        match self {
            SourceCoords::Separable { cols, rows } => (cols[col], rows[row]),
            SourceCoords::PerPixel(v) => v[row * width + col],
        }
    }
}

fn source_coords(layer: &Layer, grid: &Grid) -> SourceCoords {
    let (w, h) = (grid.width as usize, grid.height as usize);
    let nan = (f64::NAN, f64::NAN);
    let separable =
        grid.crs.kind() != ProjectionKind::Polar && layer.crs.kind() != ProjectionKind::Polar;
    let to_source = |x: f64, y: f64| -> (f64, f64) {
        let Some((lon, lat)) = grid.crs.to_lonlat(x, y) else {
            return nan;
        };
        let Some((sx, sy)) = layer.crs.from_lonlat(lon, lat) else {
            return nan;
        };
        layer.to_source_pixel(sx, sy)
    };
    if separable {
        // Cylindrical to cylindrical: lon follows x alone and lat follows y alone; any latitude
        // (resp. longitude) inside the valid range serves for the other coordinate.
        let cols = (0..w)
            .map(|c| to_source(grid.x(c as f64 + 0.5), 0.0).0)
            .collect();
        let rows = (0..h)
            .map(|r| to_source(0.0, grid.y(r as f64 + 0.5)).1)
            .collect();
        SourceCoords::Separable { cols, rows }
    } else {
        let exact = |c: usize, r: usize| to_source(grid.x(c as f64 + 0.5), grid.y(r as f64 + 0.5));
        SourceCoords::PerPixel(approximate_grid(w, h, exact))
    }
}

/// Side of the cells whose corners are projected exactly; inside, coordinates are interpolated.
const APPROX_CELL: usize = 8;
/// Largest interpolation error accepted, in source pixels (GDAL's gdalwarp default, -et 0.125).
const APPROX_MAX_ERROR: f64 = 0.125;

/// Source coordinates of every output pixel, projected exactly at the corners of 8×8 cells and
/// interpolated bilinearly inside. A cell whose centre misses the exact value by more than
/// 0.125 source pixel (near a pole, across the longitude seam, at the edge of the projection's
/// domain) is projected exactly pixel by pixel.
fn approximate_grid(
    w: usize,
    h: usize,
    exact: impl Fn(usize, usize) -> (f64, f64),
) -> Vec<(f64, f64)> {
    let nodes = |n: usize| -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).step_by(APPROX_CELL).collect();
        if v.last() != Some(&(n - 1)) {
            v.push(n - 1);
        }
        v
    };
    let (xs, ys) = (nodes(w), nodes(h));
    if xs.len() < 2 || ys.len() < 2 {
        return (0..h)
            .flat_map(|r| (0..w).map(move |c| (c, r)))
            .map(|(c, r)| exact(c, r))
            .collect();
    }
    let node: Vec<Vec<(f64, f64)>> = ys
        .iter()
        .map(|&r| xs.iter().map(|&c| exact(c, r)).collect())
        .collect();
    let lerp =
        |a: (f64, f64), b: (f64, f64), t: f64| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
    let mut out = vec![(f64::NAN, f64::NAN); w * h];
    for j in 0..ys.len() - 1 {
        for i in 0..xs.len() - 1 {
            let (c0, c1, r0, r1) = (xs[i], xs[i + 1], ys[j], ys[j + 1]);
            let corners = [
                node[j][i],
                node[j][i + 1],
                node[j + 1][i],
                node[j + 1][i + 1],
            ];
            let at = |c: usize, r: usize| {
                let tx = (c - c0) as f64 / (c1 - c0) as f64;
                let ty = (r - r0) as f64 / (r1 - r0) as f64;
                lerp(
                    lerp(corners[0], corners[1], tx),
                    lerp(corners[2], corners[3], tx),
                    ty,
                )
            };
            let finite = corners.iter().all(|p| p.0.is_finite() && p.1.is_finite());
            let (mc, mr) = ((c0 + c1) / 2, (r0 + r1) / 2);
            let (e, a) = (exact(mc, mr), at(mc, mr));
            let smooth = finite
                && (e.0 - a.0).abs() <= APPROX_MAX_ERROR
                && (e.1 - a.1).abs() <= APPROX_MAX_ERROR;
            for r in r0..=r1 {
                for c in c0..=c1 {
                    out[r * w + c] = if smooth { at(c, r) } else { exact(c, r) };
                }
            }
        }
    }
    out
}

/// Source pixels per output pixel: the smallest step found on a 5×5 sample of the output, so
/// that no part of the map is drawn from too coarse an overview (near a pole of a geographic
/// source a step in longitude spans many source pixels while latitude still changes slowly).
fn scale_factor(coords: &SourceCoords, width: usize, height: usize) -> f64 {
    let step = |c: usize, r: usize| -> Option<f64> {
        let p = coords.at(c, r, width);
        let dist = |q: (f64, f64)| ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt();
        let dx = (c + 1 < width).then(|| dist(coords.at(c + 1, r, width)));
        let dy = (r + 1 < height).then(|| dist(coords.at(c, r + 1, width)));
        [dx, dy]
            .into_iter()
            .flatten()
            .filter(|d| d.is_finite() && *d > 0.0)
            .reduce(f64::min)
    };
    let mut best: Option<f64> = None;
    for i in 0..5 {
        for j in 0..5 {
            let (c, r) = ((width - 1) * i / 4, (height - 1) * j / 4);
            if let Some(s) = step(c, r) {
                best = Some(best.map_or(s, |b| b.min(s)));
            }
        }
    }
    best.unwrap_or(1.0).max(1.0)
}

fn choose_level(layer: &Layer, factor: f64) -> usize {
    let full = f64::from(layer.source.width());
    let mut best = 0;
    for (i, l) in layer.source.levels.iter().enumerate() {
        if full / f64::from(l.width) <= factor * 1.01 {
            best = i;
        }
    }
    best
}

fn is_nodata(px: &[f32], nodata: Option<f64>) -> bool {
    if px.iter().any(|v| v.is_nan()) {
        return true;
    }
    match nodata {
        Some(nd) => {
            let nd = nd as f32;
            px.iter().all(|&v| v == nd)
        }
        None => false,
    }
}

/// Samples the layer into `grid`.
pub fn warp(
    layer: &Layer,
    cache: &ChunkCache,
    grid: &Grid,
    resampling: Resampling,
    level_choice: LevelChoice,
) -> Result<Warped, RasterError> {
    let (w, h) = (grid.width as usize, grid.height as usize);
    let bands = layer.source.bands;
    let coords = source_coords(layer, grid);
    let level = match level_choice {
        LevelChoice::ByScale => choose_level(layer, scale_factor(&coords, w, h)),
        LevelChoice::FullResolution => 0,
    };
    // 8-bit data without NoData has no invalid values to look for.
    let nodata_possible = layer.nodata.is_some() || !layer.source.kind.is_u8();
    let is_nodata = |px: &[f32]| nodata_possible && is_nodata(px, layer.nodata);
    let mut reader = PixelReader::new(&layer.source, cache, level);
    let (lw, lh) = (reader.level().width, reader.level().height);
    let sx = f64::from(lw) / f64::from(layer.source.width());
    let sy = f64::from(lh) / f64::from(layer.source.height());
    let mut values = vec![0f32; w * h * bands];
    let mut valid = vec![false; w * h];
    let mut px = [0f32; 4];
    let mut corners = [[0f32; 4]; 4];
    for row in 0..h {
        for col in 0..w {
            let (u0, v0) = coords.at(col, row, w);
            let (u, v) = (u0 * sx, v0 * sy);
            if !(u >= 0.0 && v >= 0.0 && u < f64::from(lw) && v < f64::from(lh)) {
                continue;
            }
            let i = row * w + col;
            let nearest = |reader: &mut PixelReader, px: &mut [f32; 4]| {
                reader.read(u as u32, v as u32, &mut px[..bands])
            };
            let ok = match resampling {
                Resampling::Nearest => {
                    nearest(&mut reader, &mut px)?;
                    !is_nodata(&px[..bands])
                }
                Resampling::Bilinear => {
                    let (fu, fv) = (u - 0.5, v - 0.5);
                    // fu, fv ≥ −0.5: truncation is floor except below zero.
                    let floor = |f: f64| if f < 0.0 { -1.0 } else { (f as i64) as f64 };
                    let (c0, r0) = (floor(fu), floor(fv));
                    let (tx, ty) = ((fu - c0) as f32, (fv - r0) as f32);
                    // Across the seam of a whole-turn grid the neighbour is on the other side.
                    let col_at = |c: f64| -> u32 {
                        let last = f64::from(lw - 1);
                        match (layer.wraps_fully, c) {
                            (true, c) if c < 0.0 => lw - 1,
                            (true, c) if c > last => 0,
                            (_, c) => c.clamp(0.0, last) as u32,
                        }
                    };
                    let row_at = |r: f64| r.clamp(0.0, f64::from(lh - 1)) as u32;
                    let cells = [
                        (c0, r0),
                        (c0 + 1.0, r0),
                        (c0, r0 + 1.0),
                        (c0 + 1.0, r0 + 1.0),
                    ];
                    let mut any_nodata = false;
                    for (k, (c, r)) in cells.iter().enumerate() {
                        reader.read(col_at(*c), row_at(*r), &mut corners[k][..bands])?;
                        any_nodata |= is_nodata(&corners[k][..bands]);
                    }
                    if any_nodata {
                        nearest(&mut reader, &mut px)?;
                        !is_nodata(&px[..bands])
                    } else {
                        for b in 0..bands {
                            let top = corners[0][b] + tx * (corners[1][b] - corners[0][b]);
                            let bottom = corners[2][b] + tx * (corners[3][b] - corners[2][b]);
                            px[b] = top + ty * (bottom - top);
                        }
                        true
                    }
                }
            };
            if ok {
                valid[i] = true;
                values[i * bands..(i + 1) * bands].copy_from_slice(&px[..bands]);
            }
        }
    }
    Ok(Warped {
        width: grid.width,
        height: grid.height,
        bands,
        values,
        valid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximation_is_exact_on_smooth_maps_and_falls_back_at_jumps() {
        // Affine: interpolation is exact everywhere.
        let affine = |c: usize, r: usize| (2.0 * c as f64 + 0.5 * r as f64, r as f64 - 3.0);
        let v = approximate_grid(37, 21, affine);
        for r in 0..21 {
            for c in 0..37 {
                let (e, a) = (affine(c, r), v[r * 37 + c]);
                assert!((e.0 - a.0).abs() < 1e-9 && (e.1 - a.1).abs() < 1e-9);
            }
        }
        // A seam (x jumps by 1000 after column 12): pixels next to it keep their exact values.
        let seam =
            |c: usize, r: usize| (if c > 12 { c as f64 - 1000.0 } else { c as f64 }, r as f64);
        let v = approximate_grid(30, 10, seam);
        for c in 8..17 {
            assert_eq!(v[3 * 30 + c], seam(c, 3), "column {c}");
        }
        // Undefined points are never interpolated over.
        let hole = |c: usize, r: usize| {
            if c == 0 && r == 0 {
                (f64::NAN, f64::NAN)
            } else {
                (c as f64, r as f64)
            }
        };
        let v = approximate_grid(9, 9, hole);
        assert!(v[0].0.is_nan());
        assert_eq!(v[9 + 1], (1.0, 1.0));
        assert_eq!(approximate_grid(1, 1, hole).len(), 1);
    }
}
