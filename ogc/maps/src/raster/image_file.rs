//! Plain images (PNG, JPEG) placed on the map by an extent from the configuration, such as the
//! Viking mosaic. They are small enough to decode once; overviews are built by 2×2 averaging.

use super::{Chunk, GeoTransform, Level, RasterError, RasterSource, SampleKind, Samples, Storage};
use std::path::Path;
use std::sync::Arc;

/// Overviews stop once the image is this small.
const SMALLEST_OVERVIEW: u32 = 256;

pub fn open(id: u32, path: &Path, extent: [f64; 4]) -> Result<RasterSource, RasterError> {
    let img = image::ImageReader::open(path)
        .map_err(|source| RasterError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .with_guessed_format()
        .map_err(|source| RasterError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .decode()
        .map_err(|e| RasterError::Decode {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    let (width, height) = (img.width(), img.height());
    let (bands, data) = match img.color().channel_count() {
        1 => (1, img.into_luma8().into_raw()),
        2 => (2, img.into_luma_alpha8().into_raw()),
        3 => (3, img.into_rgb8().into_raw()),
        _ => (4, img.into_rgba8().into_raw()),
    };
    let mut levels = Vec::new();
    let mut chunks = Vec::new();
    let mut current = Chunk {
        width,
        height,
        samples: Samples::U8(data),
    };
    loop {
        let (w, h) = (current.width, current.height);
        levels.push(Level {
            width: w,
            height: h,
            chunk_width: w,
            chunk_height: h,
            geo: GeoTransform::from_extent(extent, w, h),
        });
        let next = (w.max(h) > SMALLEST_OVERVIEW).then(|| halve(&current, bands));
        chunks.push(Arc::new(current));
        match next {
            Some(n) => current = n,
            None => break,
        }
    }
    Ok(RasterSource {
        id,
        path: path.to_path_buf(),
        bands,
        kind: SampleKind::U8,
        file_crs: None,
        file_nodata: None,
        levels,
        storage: Storage::Memory(chunks),
    })
}

/// A level half as wide and high, each pixel the mean of (up to) 2×2 pixels.
fn halve(chunk: &Chunk, bands: usize) -> Chunk {
    let Samples::U8(src) = &chunk.samples else {
        return Chunk {
            width: chunk.width,
            height: chunk.height,
            samples: Samples::U8(Vec::new()),
        };
    };
    let (w, h) = (chunk.width as usize, chunk.height as usize);
    let (nw, nh) = (w.div_ceil(2), h.div_ceil(2));
    let mut out = vec![0u8; nw * nh * bands];
    for y in 0..nh {
        for x in 0..nw {
            for b in 0..bands {
                let mut sum = 0u32;
                let mut n = 0u32;
                for (sx, sy) in [
                    (2 * x, 2 * y),
                    (2 * x + 1, 2 * y),
                    (2 * x, 2 * y + 1),
                    (2 * x + 1, 2 * y + 1),
                ] {
                    if sx < w && sy < h {
                        sum += u32::from(src[(sy * w + sx) * bands + b]);
                        n += 1;
                    }
                }
                out[(y * nw + x) * bands + b] = ((sum + n / 2) / n) as u8;
            }
        }
    }
    Chunk {
        width: nw as u32,
        height: nh as u32,
        samples: Samples::U8(out),
    }
}
