//! Map rendering: layers warped into the output grid, coloured, composited in order over the
//! background, then encoded.

pub mod encode;
pub mod style;
pub mod warp;

use crate::config::Resampling;
use crate::crs::MapCrs;
use crate::layer::Layer;
use crate::raster::{ChunkCache, RasterError};
use warp::{Grid, LevelChoice};

/// What to draw.
pub struct MapSpec<'a> {
    pub layers: Vec<&'a Layer>,
    pub grid: Grid,
    pub background: [u8; 3],
    pub transparent: bool,
    /// Overrides each layer's configured resampling.
    pub resampling: Option<Resampling>,
}

/// A blank canvas: the background, opaque unless transparent.
pub fn blank(width: u32, height: u32, background: [u8; 3], transparent: bool) -> Vec<u8> {
    let px = [
        background[0],
        background[1],
        background[2],
        if transparent { 0 } else { 255 },
    ];
    px.repeat(width as usize * height as usize)
}

/// Renders the layers into an RGBA canvas.
pub fn render_rgba(spec: &MapSpec, cache: &ChunkCache) -> Result<Vec<u8>, RasterError> {
    let (w, h) = (spec.grid.width, spec.grid.height);
    let mut canvas = blank(w, h, spec.background, spec.transparent);
    for layer in &spec.layers {
        if !spec.grid.crs.applies_to(layer.body) {
            continue;
        }
        let resampling = spec.resampling.unwrap_or(layer.resampling);
        let warped = warp::warp(layer, cache, &spec.grid, resampling, LevelChoice::ByScale)?;
        let bands = warped.bands;
        for (i, dst) in canvas.chunks_exact_mut(4).enumerate() {
            if !warped.valid[i] {
                continue;
            }
            let src = layer
                .style
                .colour(&warped.values[i * bands..(i + 1) * bands]);
            composite_over(dst, src);
        }
    }
    Ok(canvas)
}

/// Porter-Duff "over" with straight (unpremultiplied) alpha.
fn composite_over(dst: &mut [u8], src: [u8; 4]) {
    match src[3] {
        0 => {}
        255 => dst.copy_from_slice(&src),
        a => {
            let sa = f32::from(a) / 255.0;
            let da = f32::from(dst[3]) / 255.0;
            let oa = sa + da * (1.0 - sa);
            for k in 0..3 {
                let c = (f32::from(src[k]) * sa + f32::from(dst[k]) * da * (1.0 - sa)) / oa;
                dst[k] = c.round() as u8;
            }
            dst[3] = (oa * 255.0).round() as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_blends_straight_alpha() {
        let mut dst = [0, 0, 255, 255];
        composite_over(&mut dst, [255, 0, 0, 128]);
        assert_eq!(dst, [128, 0, 127, 255]);
        let mut clear = [10, 20, 30, 0];
        composite_over(&mut clear, [200, 100, 50, 128]);
        assert_eq!(clear, [200, 100, 50, 128]);
    }
}
