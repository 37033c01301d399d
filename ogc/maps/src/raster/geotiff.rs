//! GeoTIFF reading with the `tiff` crate: the structure (levels, chunk sizes, georeferencing) is
//! read once; tiles or strips are decoded one at a time when a rendering needs them.

use super::georef::{self, GeoTransform};
use super::{Chunk, Level, RasterError, RasterSource, SampleKind, Samples, Storage};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;

type TiffDecoder = Decoder<BufReader<File>>;

/// An open GeoTIFF: which IFD holds each level, and idle decoders to read chunks with.
pub struct TiffFile {
    path: PathBuf,
    level_ifds: Vec<usize>,
    idle: Mutex<Vec<TiffDecoder>>,
}

fn decode_err(path: &Path, e: impl std::fmt::Display) -> RasterError {
    RasterError::Decode {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn unsupported(path: &Path, message: impl Into<String>) -> RasterError {
    RasterError::Unsupported {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn new_decoder(path: &Path) -> Result<TiffDecoder, RasterError> {
    let file = File::open(path).map_err(|source| RasterError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Decoder::new(BufReader::new(file)).map_err(|e| decode_err(path, e))
}

/// Bands and sample kind of the current image.
fn layout(dec: &mut TiffDecoder, path: &Path) -> Result<(usize, SampleKind), RasterError> {
    use tiff::ColorType as C;
    let (bands, bits) = match dec.colortype().map_err(|e| decode_err(path, e))? {
        C::Gray(b) => (1, b),
        C::GrayA(b) => (2, b),
        C::RGB(b) => (3, b),
        C::RGBA(b) => (4, b),
        other => {
            return Err(unsupported(
                path,
                format!("colour type {other:?} is not supported"),
            ));
        }
    };
    let format = dec
        .find_tag_unsigned_vec::<u16>(Tag::SampleFormat)
        .map_err(|e| decode_err(path, e))?
        .and_then(|v| v.first().copied())
        .unwrap_or(1);
    let kind = match (bits, format) {
        (8, 1) => SampleKind::U8,
        (16, 1) => SampleKind::U16,
        (16, 2) => SampleKind::I16,
        (32, 1) => SampleKind::U32,
        (32, 2) => SampleKind::I32,
        (32, 3) => SampleKind::F32,
        (64, 3) => SampleKind::F64,
        _ => {
            return Err(unsupported(
                path,
                format!("{bits}-bit samples of format {format}"),
            ));
        }
    };
    let planar = dec
        .find_tag_unsigned::<u16>(Tag::PlanarConfiguration)
        .map_err(|e| decode_err(path, e))?
        .unwrap_or(1);
    if planar != 1 && bands > 1 {
        return Err(unsupported(
            path,
            "band-separate (planar) layout; rewrite with INTERLEAVE=PIXEL",
        ));
    }
    Ok((bands, kind))
}

fn level_of(dec: &mut TiffDecoder, path: &Path, geo: GeoTransform) -> Result<Level, RasterError> {
    let (width, height) = dec.dimensions().map_err(|e| decode_err(path, e))?;
    let (chunk_width, chunk_height) = dec.chunk_dimensions();
    if width == 0 || height == 0 || chunk_width == 0 || chunk_height == 0 {
        return Err(decode_err(path, "empty image"));
    }
    Ok(Level {
        width,
        height,
        chunk_width,
        chunk_height,
        geo,
    })
}

/// The grid from ModelPixelScale + ModelTiepoint, or from a north-up ModelTransformation.
fn read_geotransform(
    dec: &mut TiffDecoder,
    path: &Path,
) -> Result<Option<GeoTransform>, RasterError> {
    let doubles = |dec: &mut TiffDecoder, tag| -> Result<Option<Vec<f64>>, RasterError> {
        match dec.find_tag(tag).map_err(|e| decode_err(path, e))? {
            Some(v) => v.into_f64_vec().map(Some).map_err(|e| decode_err(path, e)),
            None => Ok(None),
        }
    };
    if let (Some(scale), Some(tie)) = (
        doubles(dec, Tag::ModelPixelScaleTag)?,
        doubles(dec, Tag::ModelTiepointTag)?,
    ) && scale.len() >= 2
        && tie.len() >= 6
    {
        return Ok(Some(GeoTransform {
            origin_x: tie[3] - tie[0] * scale[0],
            origin_y: tie[4] + tie[1] * scale[1],
            dx: scale[0],
            dy: scale[1],
        }));
    }
    if let Some(m) = doubles(dec, Tag::ModelTransformationTag)?
        && m.len() >= 16
    {
        if m[1] != 0.0 || m[4] != 0.0 {
            return Err(unsupported(path, "rotated grids are not supported"));
        }
        return Ok(Some(GeoTransform {
            origin_x: m[3],
            origin_y: m[7],
            dx: m[0],
            dy: -m[5],
        }));
    }
    Ok(None)
}

fn read_geokeys(
    dec: &mut TiffDecoder,
    path: &Path,
) -> Result<Vec<(u16, georef::GeoKeyValue)>, RasterError> {
    let Some(directory) = dec
        .find_tag_unsigned_vec::<u16>(Tag::GeoKeyDirectoryTag)
        .map_err(|e| decode_err(path, e))?
    else {
        return Ok(Vec::new());
    };
    let doubles = match dec
        .find_tag(Tag::GeoDoubleParamsTag)
        .map_err(|e| decode_err(path, e))?
    {
        Some(v) => v.into_f64_vec().map_err(|e| decode_err(path, e))?,
        None => Vec::new(),
    };
    let ascii = match dec
        .find_tag(Tag::GeoAsciiParamsTag)
        .map_err(|e| decode_err(path, e))?
    {
        Some(v) => v.into_string().map_err(|e| decode_err(path, e))?,
        None => String::new(),
    };
    Ok(georef::parse_geokeys(&directory, &doubles, &ascii))
}

pub fn open(id: u32, path: &Path, extent: Option<[f64; 4]>) -> Result<RasterSource, RasterError> {
    let mut dec = new_decoder(path)?;
    let (bands, kind) = layout(&mut dec, path)?;
    let (width, height) = dec.dimensions().map_err(|e| decode_err(path, e))?;
    let keys = read_geokeys(&mut dec, path)?;
    let geo = match (extent, read_geotransform(&mut dec, path)?) {
        (Some(e), _) => GeoTransform::from_extent(e, width, height),
        (None, Some(mut g)) => {
            if georef::is_pixel_is_point(&keys) {
                g.origin_x -= g.dx / 2.0;
                g.origin_y += g.dy / 2.0;
            }
            g
        }
        (None, None) => {
            return Err(unsupported(
                path,
                "no georeferencing; give `extent` in the configuration",
            ));
        }
    };
    let file_nodata = match dec
        .find_tag(Tag::GdalNodata)
        .map_err(|e| decode_err(path, e))?
    {
        Some(v) => v
            .into_string()
            .ok()
            .and_then(|s| s.trim_matches(['\0', ' ']).parse().ok()),
        None => None,
    };
    let mut levels = vec![level_of(&mut dec, path, geo)?];
    let mut level_ifds = vec![0];
    let mut ifd = 0;
    while dec.more_images() {
        dec.next_image().map_err(|e| decode_err(path, e))?;
        ifd += 1;
        let subfile = dec
            .find_tag_unsigned::<u32>(Tag::NewSubfileType)
            .map_err(|e| decode_err(path, e))?
            .unwrap_or(0);
        // Bit 0: reduced-resolution image; bit 2: transparency mask (not an overview).
        let is_overview = subfile & 1 == 1 && subfile & 4 == 0;
        if !is_overview || layout(&mut dec, path)? != (bands, kind) {
            continue;
        }
        let (w, h) = dec.dimensions().map_err(|e| decode_err(path, e))?;
        let g = geo.scaled(
            f64::from(width) / f64::from(w),
            f64::from(height) / f64::from(h),
        );
        levels.push(level_of(&mut dec, path, g)?);
        level_ifds.push(ifd);
    }
    // Overviews are used from the finest to the coarsest.
    let mut order: Vec<usize> = (0..levels.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(levels[i].width));
    let levels = order.iter().map(|&i| levels[i].clone()).collect();
    let level_ifds = order.iter().map(|&i| level_ifds[i]).collect();
    Ok(RasterSource {
        id,
        path: path.to_path_buf(),
        bands,
        kind,
        file_crs: georef::crs_from_geokeys(&keys),
        file_nodata,
        levels,
        storage: Storage::Tiff(TiffFile {
            path: path.to_path_buf(),
            level_ifds,
            idle: Mutex::new(vec![dec]),
        }),
    })
}

impl TiffFile {
    /// Decodes one tile or strip of a level.
    pub fn read_chunk(&self, level: usize, index: u32, bands: usize) -> Result<Chunk, RasterError> {
        let path = &self.path;
        let idle = self.idle.lock().ok().and_then(|mut pool| pool.pop());
        let mut dec = match idle {
            Some(d) => d,
            None => new_decoder(path)?,
        };
        let ifd = *self
            .level_ifds
            .get(level)
            .ok_or_else(|| decode_err(path, "no such level"))?;
        dec.seek_to_image(ifd).map_err(|e| decode_err(path, e))?;
        let chunks = match dec.get_chunk_type() {
            tiff::decoder::ChunkType::Tile => dec.tile_count(),
            tiff::decoder::ChunkType::Strip => dec.strip_count(),
        }
        .map_err(|e| decode_err(path, e))?;
        if index >= chunks {
            return Err(decode_err(path, format!("chunk {index} of {chunks}")));
        }
        let (width, height) = dec.chunk_data_dimensions(index);
        let data = dec.read_chunk(index).map_err(|e| decode_err(path, e))?;
        if let Ok(mut pool) = self.idle.lock() {
            pool.push(dec);
        }
        let samples = match data {
            DecodingResult::U8(v) => Samples::U8(v),
            DecodingResult::U16(v) => Samples::F32(v.into_iter().map(f32::from).collect()),
            DecodingResult::I16(v) => Samples::F32(v.into_iter().map(f32::from).collect()),
            DecodingResult::U32(v) => Samples::F32(v.into_iter().map(|x| x as f32).collect()),
            DecodingResult::I32(v) => Samples::F32(v.into_iter().map(|x| x as f32).collect()),
            DecodingResult::F32(v) => Samples::F32(v),
            DecodingResult::F64(v) => Samples::F32(v.into_iter().map(|x| x as f32).collect()),
            _ => return Err(unsupported(path, "sample type")),
        };
        let len = match &samples {
            Samples::U8(v) => v.len(),
            Samples::F32(v) => v.len(),
        };
        let expected = width as usize * height as usize * bands;
        if len < expected {
            return Err(decode_err(
                path,
                format!("chunk {index}: {len} samples, {expected} expected"),
            ));
        }
        // Stripped images may decode wider rows than the data; keep the stride the decoder gave.
        let stride = (len / bands / height.max(1) as usize) as u32;
        Ok(Chunk {
            width: stride,
            height,
            samples,
        })
    }
}
