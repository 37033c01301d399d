//! GeoTIFF writing: WCS GetCoverage output (striped) and tiled files with internal overviews
//! (test fixtures and the benchmark source). Chunks are deflate-compressed; the georeferencing is
//! written as ModelPixelScale + ModelTiepoint + GeoKeys, which GDAL reads back.

use super::georef::{GeoTransform, geokeys_for};
use crate::crs::Crs;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::{Cursor, Write};
use tiff::encoder::TiffEncoder;
use tiff::tags::{CompressionMethod, PhotometricInterpretation, PlanarConfiguration, Tag};

/// Pixel data, band-interleaved.
#[derive(Debug, Clone, Copy)]
pub enum PixelData<'a> {
    U8(&'a [u8]),
    U16(&'a [u16]),
    F32(&'a [f32]),
}

impl PixelData<'_> {
    fn bytes_per_sample(&self) -> usize {
        match self {
            PixelData::U8(_) => 1,
            PixelData::U16(_) => 2,
            PixelData::F32(_) => 4,
        }
    }

    /// Native-endian bytes of samples `range` (the encoder writes a native-endian TIFF).
    fn bytes(&self, range: std::ops::Range<usize>) -> Vec<u8> {
        match self {
            PixelData::U8(v) => v[range].to_vec(),
            PixelData::U16(v) => v[range].iter().flat_map(|x| x.to_ne_bytes()).collect(),
            PixelData::F32(v) => v[range].iter().flat_map(|f| f.to_ne_bytes()).collect(),
        }
    }

    fn len(&self) -> usize {
        match self {
            PixelData::U8(v) => v.len(),
            PixelData::U16(v) => v.len(),
            PixelData::F32(v) => v.len(),
        }
    }
}

/// One resolution level to write.
#[derive(Debug, Clone, Copy)]
pub struct LevelData<'a> {
    pub width: u32,
    pub height: u32,
    pub data: PixelData<'a>,
}

/// What to write: levels (full resolution first), their layout and georeferencing.
#[derive(Debug, Clone)]
pub struct GeoTiffSpec<'a> {
    pub bands: usize,
    pub levels: Vec<LevelData<'a>>,
    /// Square tiles of this side, or strips when None.
    pub tile: Option<u32>,
    pub geo: GeoTransform,
    pub crs: Crs,
    pub nodata: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("TIFF encoding failed: {0}")]
    Tiff(#[from] tiff::TiffError),
    #[error("compression failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("level {0}: {1} samples given, {2} expected")]
    Size(usize, usize, usize),
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, std::io::Error> {
    let mut z = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::fast());
    z.write_all(bytes)?;
    z.finish()
}

/// Rows per strip: strips of about 64 KiB.
fn strip_rows(level: &LevelData, bands: usize) -> usize {
    let bytes_per_row = level.width as usize * bands * level.data.bytes_per_sample();
    (65536 / bytes_per_row.max(1)).clamp(1, (level.height as usize).max(1))
}

/// Chunks of a level, each as compressed bytes, row-major; edge tiles are padded as TIFF requires.
fn chunks(level: &LevelData, bands: usize, tile: Option<u32>) -> Result<Vec<Vec<u8>>, WriteError> {
    let (w, h) = (level.width as usize, level.height as usize);
    let row_len = w * bands;
    let mut out = Vec::new();
    match tile {
        None => {
            let rows = strip_rows(level, bands);
            for start in (0..h).step_by(rows) {
                let end = (start + rows).min(h);
                out.push(deflate(&level.data.bytes(start * row_len..end * row_len))?);
            }
        }
        Some(t) => {
            let t = t as usize;
            let bps = level.data.bytes_per_sample();
            for ty in 0..h.div_ceil(t) {
                for tx in 0..w.div_ceil(t) {
                    let mut buf = vec![0u8; t * t * bands * bps];
                    for y in 0..t.min(h - ty * t) {
                        let src_row = (ty * t + y) * row_len + tx * t * bands;
                        let n = t.min(w - tx * t) * bands;
                        let bytes = level.data.bytes(src_row..src_row + n);
                        let dst = y * t * bands * bps;
                        buf[dst..dst + bytes.len()].copy_from_slice(&bytes);
                    }
                    out.push(deflate(&buf)?);
                }
            }
        }
    }
    Ok(out)
}

/// Writes a GeoTIFF into memory.
pub fn write_geotiff(spec: &GeoTiffSpec) -> Result<Vec<u8>, WriteError> {
    let mut cursor = Cursor::new(Vec::new());
    let mut encoder = TiffEncoder::new(&mut cursor)?;
    let (directory, doubles, ascii) = geokeys_for(spec.crs);
    for (i, level) in spec.levels.iter().enumerate() {
        let expected = level.width as usize * level.height as usize * spec.bands;
        if level.data.len() != expected {
            return Err(WriteError::Size(i, level.data.len(), expected));
        }
        let chunks = chunks(level, spec.bands, spec.tile)?;
        let mut dir = encoder.image_directory()?;
        let mut offsets = Vec::with_capacity(chunks.len());
        let mut counts = Vec::with_capacity(chunks.len());
        for c in &chunks {
            offsets.push(dir.write_data(c.as_slice())? as u32);
            counts.push(c.len() as u32);
        }
        if i > 0 {
            dir.write_tag(Tag::NewSubfileType, 1u32)?;
        }
        dir.write_tag(Tag::ImageWidth, level.width)?;
        dir.write_tag(Tag::ImageLength, level.height)?;
        let bits = (level.data.bytes_per_sample() * 8) as u16;
        dir.write_tag(Tag::BitsPerSample, vec![bits; spec.bands].as_slice())?;
        dir.write_tag(Tag::Compression, CompressionMethod::Deflate)?;
        let photometric = if spec.bands >= 3 {
            PhotometricInterpretation::RGB
        } else {
            PhotometricInterpretation::BlackIsZero
        };
        dir.write_tag(Tag::PhotometricInterpretation, photometric)?;
        dir.write_tag(Tag::SamplesPerPixel, spec.bands as u16)?;
        dir.write_tag(Tag::PlanarConfiguration, PlanarConfiguration::Chunky)?;
        let format: u16 = match level.data {
            PixelData::U8(_) | PixelData::U16(_) => 1,
            PixelData::F32(_) => 3,
        };
        dir.write_tag(Tag::SampleFormat, vec![format; spec.bands].as_slice())?;
        if spec.bands == 2 || spec.bands == 4 {
            // The last band is unassociated alpha.
            dir.write_tag(Tag::ExtraSamples, 2u16)?;
        }
        match spec.tile {
            Some(t) => {
                dir.write_tag(Tag::TileWidth, t)?;
                dir.write_tag(Tag::TileLength, t)?;
                dir.write_tag(Tag::TileOffsets, offsets.as_slice())?;
                dir.write_tag(Tag::TileByteCounts, counts.as_slice())?;
            }
            None => {
                dir.write_tag(Tag::RowsPerStrip, strip_rows(level, spec.bands) as u32)?;
                dir.write_tag(Tag::StripOffsets, offsets.as_slice())?;
                dir.write_tag(Tag::StripByteCounts, counts.as_slice())?;
            }
        }
        if i == 0 {
            let g = spec.geo;
            dir.write_tag(Tag::ModelPixelScaleTag, [g.dx, g.dy, 0.0].as_slice())?;
            dir.write_tag(
                Tag::ModelTiepointTag,
                [0.0, 0.0, 0.0, g.origin_x, g.origin_y, 0.0].as_slice(),
            )?;
            dir.write_tag(Tag::GeoKeyDirectoryTag, directory.as_slice())?;
            if !doubles.is_empty() {
                dir.write_tag(Tag::GeoDoubleParamsTag, doubles.as_slice())?;
            }
            if !ascii.is_empty() {
                dir.write_tag(Tag::GeoAsciiParamsTag, ascii.as_str())?;
            }
            if let Some(nd) = spec.nodata {
                dir.write_tag(Tag::GdalNodata, format!("{nd}").as_str())?;
            }
        }
        dir.finish()?;
    }
    Ok(cursor.into_inner())
}
