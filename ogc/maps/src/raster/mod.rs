//! Raster sources: GeoTIFFs (striped or tiled, with internal overviews) read chunk by chunk, and
//! plain images held in memory with an overview pyramid. Decoded chunks live in a shared cache
//! bounded in bytes.

pub mod georef;
mod geotiff;
mod image_file;
pub mod write;

pub use georef::GeoTransform;

use crate::crs::Crs;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot decode {path}: {message}")]
    Decode { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Unsupported { path: PathBuf, message: String },
}

/// Samples of a decoded chunk, band-interleaved. 8-bit data stays 8-bit; all other sample types
/// are widened to f32.
#[derive(Debug)]
pub enum Samples {
    U8(Vec<u8>),
    F32(Vec<f32>),
}

/// A decoded tile or strip (or a whole in-memory image).
#[derive(Debug)]
pub struct Chunk {
    pub width: u32,
    pub height: u32,
    pub samples: Samples,
}

impl Chunk {
    fn byte_size(&self) -> u64 {
        match &self.samples {
            Samples::U8(v) => v.len() as u64,
            Samples::F32(v) => 4 * v.len() as u64,
        }
    }
}

/// The kind of values a raster holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleKind {
    U8,
    U16,
    I16,
    U32,
    I32,
    F32,
    F64,
}

impl SampleKind {
    pub fn is_u8(self) -> bool {
        self == SampleKind::U8
    }

    /// The SWE / GDAL name of the data type, for DescribeCoverage.
    pub fn name(self) -> &'static str {
        match self {
            SampleKind::U8 => "Byte",
            SampleKind::U16 => "UInt16",
            SampleKind::I16 => "Int16",
            SampleKind::U32 => "UInt32",
            SampleKind::I32 => "Int32",
            SampleKind::F32 => "Float32",
            SampleKind::F64 => "Float64",
        }
    }
}

/// One resolution level: full resolution first, then overviews, coarser and coarser.
#[derive(Debug, Clone)]
pub struct Level {
    pub width: u32,
    pub height: u32,
    pub chunk_width: u32,
    pub chunk_height: u32,
    pub geo: GeoTransform,
}

impl Level {
    fn chunks_across(&self) -> u32 {
        self.width.div_ceil(self.chunk_width)
    }
}

/// Key of a decoded chunk in the shared cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ChunkKey {
    pub source: u32,
    pub level: u16,
    pub index: u32,
}

#[derive(Clone)]
pub struct ChunkWeighter;

impl Weighter<ChunkKey, Arc<Chunk>> for ChunkWeighter {
    fn weight(&self, _key: &ChunkKey, chunk: &Arc<Chunk>) -> u64 {
        chunk.byte_size().max(1)
    }
}

pub type ChunkCache = Cache<ChunkKey, Arc<Chunk>, ChunkWeighter>;

pub fn new_chunk_cache(bytes: u64) -> ChunkCache {
    // Estimated item count: 256×256 RGB tiles.
    let items = (bytes / (256 * 256 * 3)).max(16) as usize;
    Cache::with_weighter(items, bytes, ChunkWeighter)
}

enum Storage {
    Tiff(geotiff::TiffFile),
    Memory(Vec<Arc<Chunk>>),
}

/// A raster file opened once at start-up; chunks are decoded on demand.
pub struct RasterSource {
    id: u32,
    path: PathBuf,
    pub bands: usize,
    pub kind: SampleKind,
    /// CRS named by the file's GeoKeys, if recognised.
    pub file_crs: Option<Crs>,
    /// NoData from the GDAL_NODATA tag.
    pub file_nodata: Option<f64>,
    pub levels: Vec<Level>,
    storage: Storage,
}

impl RasterSource {
    /// Opens a GeoTIFF. `extent` overrides its georeferencing (required when it has none).
    pub fn open_geotiff(
        id: u32,
        path: &Path,
        extent: Option<[f64; 4]>,
    ) -> Result<Self, RasterError> {
        geotiff::open(id, path, extent)
    }

    /// Decodes a PNG or JPEG whose extent comes from the configuration, and builds overviews.
    pub fn open_image(id: u32, path: &Path, extent: [f64; 4]) -> Result<Self, RasterError> {
        image_file::open(id, path, extent)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn width(&self) -> u32 {
        self.levels[0].width
    }

    pub fn height(&self) -> u32 {
        self.levels[0].height
    }

    /// The full-resolution grid.
    pub fn geo(&self) -> GeoTransform {
        self.levels[0].geo
    }

    pub fn extent(&self) -> [f64; 4] {
        self.geo().extent(self.width(), self.height())
    }

    /// Fetches a chunk through the shared cache, decoding it on a miss.
    pub fn chunk(
        &self,
        cache: &ChunkCache,
        level: usize,
        index: u32,
    ) -> Result<Arc<Chunk>, RasterError> {
        match &self.storage {
            Storage::Memory(levels) => {
                levels
                    .get(level)
                    .cloned()
                    .ok_or_else(|| RasterError::Decode {
                        path: self.path.clone(),
                        message: format!("no level {level}"),
                    })
            }
            Storage::Tiff(file) => {
                let key = ChunkKey {
                    source: self.id,
                    level: level as u16,
                    index,
                };
                cache.get_or_insert_with(&key, || {
                    file.read_chunk(level, index, self.bands).map(Arc::new)
                })
            }
        }
    }
}

/// Reads pixels of one level for one rendering, keeping the chunks it has touched so that
/// neighbouring pixels cost no cache lookup, and the last chunk's bounds so that most reads cost
/// two comparisons.
pub struct PixelReader<'a> {
    source: &'a RasterSource,
    cache: &'a ChunkCache,
    level: usize,
    chunks: Vec<Option<Arc<Chunk>>>,
    /// The chunk read last, with its first column and row.
    current: Option<(Arc<Chunk>, u32, u32)>,
}

impl<'a> PixelReader<'a> {
    pub fn new(source: &'a RasterSource, cache: &'a ChunkCache, level: usize) -> Self {
        let l = &source.levels[level];
        let count = (l.chunks_across() * l.height.div_ceil(l.chunk_height)) as usize;
        Self {
            source,
            cache,
            level,
            chunks: vec![None; count],
            current: None,
        }
    }

    pub fn level(&self) -> &Level {
        &self.source.levels[self.level]
    }

    fn load(&mut self, col: u32, row: u32) -> Result<(), RasterError> {
        let level = &self.source.levels[self.level];
        let (cw, ch) = (level.chunk_width, level.chunk_height);
        let index = (row / ch) * level.chunks_across() + col / cw;
        let slot = index as usize;
        let chunk = match self.chunks.get(slot) {
            Some(Some(c)) => c.clone(),
            Some(None) => {
                let c = self.source.chunk(self.cache, self.level, index)?;
                self.chunks[slot] = Some(c.clone());
                c
            }
            None => {
                return Err(RasterError::Decode {
                    path: self.source.path.clone(),
                    message: format!("pixel {col},{row} outside the image"),
                });
            }
        };
        self.current = Some((chunk, col - col % cw, row - row % ch));
        Ok(())
    }

    /// Writes the bands of pixel (col, row) into `out` (which must hold `bands` values).
    pub fn read(&mut self, col: u32, row: u32, out: &mut [f32]) -> Result<(), RasterError> {
        let inside = |(c, x0, y0): &(Arc<Chunk>, u32, u32)| {
            col >= *x0 && row >= *y0 && col - x0 < c.width && row - y0 < c.height
        };
        if !self.current.as_ref().is_some_and(inside) {
            self.load(col, row)?;
        }
        let Some((chunk, x0, y0)) = &self.current else {
            return Err(RasterError::Decode {
                path: self.source.path.clone(),
                message: "no chunk".into(),
            });
        };
        let bands = self.source.bands;
        let start = (((row - y0) * chunk.width + (col - x0)) as usize) * bands;
        let copied = match &chunk.samples {
            Samples::U8(v) => v.get(start..start + bands).map(|px| {
                for (o, s) in out.iter_mut().zip(px) {
                    *o = f32::from(*s);
                }
            }),
            Samples::F32(v) => v.get(start..start + bands).map(|px| {
                for (o, s) in out.iter_mut().zip(px) {
                    *o = *s;
                }
            }),
        };
        copied.ok_or_else(|| RasterError::Decode {
            path: self.source.path.clone(),
            message: format!(
                "a chunk of level {} is shorter than its declared size",
                self.level
            ),
        })
    }
}
