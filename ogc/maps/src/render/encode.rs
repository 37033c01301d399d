//! Image encoding of a rendered RGBA canvas: PNG (8-bit palette, 24-bit, 32-bit) and JPEG.

use std::collections::HashMap;
use std::io::Cursor;

/// Output image formats of GetMap, GetTile and tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG: RGBA when transparent, else RGB.
    Png,
    Png8,
    Png24,
    Png32,
    Jpeg,
}

impl ImageFormat {
    /// Parses a FORMAT value (MIME type, optionally with `; mode=8bit`, or a MapServer-style alias).
    pub fn parse(text: &str) -> Option<Self> {
        let t: String = text
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        match t.as_str() {
            "image/png" | "png" => Some(Self::Png),
            "image/png;mode=8bit" | "image/png8" | "png8" => Some(Self::Png8),
            "image/png;mode=24bit" | "image/png24" | "png24" => Some(Self::Png24),
            "image/png;mode=32bit" | "image/png32" | "png32" => Some(Self::Png32),
            "image/jpeg" | "image/jpg" | "jpeg" | "jpg" => Some(Self::Jpeg),
            _ => None,
        }
    }

    /// The MIME types advertised in capabilities.
    pub const ADVERTISED: [&'static str; 5] = [
        "image/png",
        "image/png; mode=8bit",
        "image/png; mode=24bit",
        "image/png; mode=32bit",
        "image/jpeg",
    ];

    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            _ => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            _ => "png",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("image encoding failed: {0}")]
pub struct EncodeError(String);

/// Encodes an RGBA canvas. `transparent` decides the channel count of plain `image/png`.
pub fn encode(
    rgba: &[u8],
    width: u32,
    height: u32,
    format: ImageFormat,
    transparent: bool,
) -> Result<Vec<u8>, EncodeError> {
    match format {
        ImageFormat::Png if transparent => png(rgba, width, height, png::ColorType::Rgba),
        ImageFormat::Png | ImageFormat::Png24 => {
            png(&drop_alpha(rgba), width, height, png::ColorType::Rgb)
        }
        ImageFormat::Png32 => png(rgba, width, height, png::ColorType::Rgba),
        ImageFormat::Png8 => png8(rgba, width, height),
        ImageFormat::Jpeg => jpeg(&drop_alpha(rgba), width, height),
    }
}

fn drop_alpha(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect()
}

fn png_encoder(
    out: &mut Vec<u8>,
    width: u32,
    height: u32,
    colour: png::ColorType,
) -> png::Encoder<'_, &mut Vec<u8>> {
    let mut enc = png::Encoder::new(out, width, height);
    enc.set_color(colour);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc
}

fn png(
    data: &[u8],
    width: u32,
    height: u32,
    colour: png::ColorType,
) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::new();
    let enc = png_encoder(&mut out, width, height, colour);
    let mut writer = enc.write_header().map_err(|e| EncodeError(e.to_string()))?;
    writer
        .write_image_data(data)
        .map_err(|e| EncodeError(e.to_string()))?;
    writer.finish().map_err(|e| EncodeError(e.to_string()))?;
    Ok(out)
}

/// Palette PNG: the exact colours when there are at most 256, else a NeuQuant palette.
fn png8(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>, EncodeError> {
    let mut exact: Vec<[u8; 4]> = Vec::new();
    let mut seen: HashMap<[u8; 4], u8> = HashMap::new();
    let mut indices = Vec::with_capacity(rgba.len() / 4);
    for p in rgba.chunks_exact(4) {
        let c = [p[0], p[1], p[2], p[3]];
        match seen.get(&c) {
            Some(&i) => indices.push(i),
            None if exact.len() < 256 => {
                seen.insert(c, exact.len() as u8);
                indices.push(exact.len() as u8);
                exact.push(c);
            }
            None => break,
        }
    }
    let (palette, indices): (Vec<[u8; 4]>, Vec<u8>) = if indices.len() == rgba.len() / 4 {
        (exact, indices)
    } else {
        let nq = color_quant::NeuQuant::new(10, 256, rgba);
        let palette = nq
            .color_map_rgba()
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]])
            .collect();
        let indices = rgba.chunks_exact(4).map(|p| nq.index_of(p) as u8).collect();
        (palette, indices)
    };
    let mut out = Vec::new();
    let mut enc = png_encoder(&mut out, width, height, png::ColorType::Indexed);
    let rgb: Vec<u8> = palette.iter().flat_map(|c| [c[0], c[1], c[2]]).collect();
    enc.set_palette(rgb);
    if palette.iter().any(|c| c[3] != 255) {
        enc.set_trns(palette.iter().map(|c| c[3]).collect::<Vec<u8>>());
    }
    let mut writer = enc.write_header().map_err(|e| EncodeError(e.to_string()))?;
    writer
        .write_image_data(&indices)
        .map_err(|e| EncodeError(e.to_string()))?;
    writer.finish().map_err(|e| EncodeError(e.to_string()))?;
    Ok(out)
}

fn jpeg(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, EncodeError> {
    let mut out = Cursor::new(Vec::new());
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    image::ImageEncoder::write_image(enc, rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| EncodeError(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> image::DynamicImage {
        image::load_from_memory(bytes).unwrap()
    }

    #[test]
    fn formats_parse_with_modes_and_aliases() {
        assert_eq!(ImageFormat::parse("image/png"), Some(ImageFormat::Png));
        assert_eq!(
            ImageFormat::parse("image/png; mode=8bit"),
            Some(ImageFormat::Png8)
        );
        assert_eq!(ImageFormat::parse("IMAGE/JPEG"), Some(ImageFormat::Jpeg));
        assert_eq!(ImageFormat::parse("image/gif"), None);
    }

    #[test]
    fn png_variants_have_the_asked_channels() {
        let rgba: Vec<u8> = (0..16u8)
            .flat_map(|i| [i * 16, 255 - i * 16, 7, if i == 0 { 0 } else { 255 }])
            .collect();
        let rgb = decode(&encode(&rgba, 4, 4, ImageFormat::Png24, false).unwrap());
        assert_eq!(rgb.color(), image::ColorType::Rgb8);
        let with_alpha = decode(&encode(&rgba, 4, 4, ImageFormat::Png, true).unwrap()).to_rgba8();
        assert_eq!(with_alpha.get_pixel(0, 0).0, [0, 255, 7, 0]);
        assert_eq!(with_alpha.get_pixel(1, 0).0, [16, 239, 7, 255]);
        let eight = encode(&rgba, 4, 4, ImageFormat::Png8, true).unwrap();
        let decoded = decode(&eight).to_rgba8();
        assert_eq!(decoded.get_pixel(0, 0).0, [0, 255, 7, 0]);
        assert_eq!(decoded.get_pixel(3, 3).0, [240, 15, 7, 255]);
        let jpeg = decode(&encode(&rgba, 4, 4, ImageFormat::Jpeg, false).unwrap());
        assert_eq!((jpeg.width(), jpeg.height()), (4, 4));
    }

    #[test]
    fn many_colours_are_quantised_to_a_palette() {
        let rgba: Vec<u8> = (0..64 * 64u32)
            .flat_map(|i| [(i % 256) as u8, (i / 256 * 16) as u8, 100, 255])
            .collect();
        let png = encode(&rgba, 64, 64, ImageFormat::Png8, false).unwrap();
        let decoded = decode(&png).to_rgba8();
        let p = decoded.get_pixel(10, 10).0;
        let src = &rgba[(10 * 64 + 10) * 4..][..4];
        let err: i32 = (0..3)
            .map(|k| (i32::from(p[k]) - i32::from(src[k])).abs())
            .sum();
        assert!(err < 40, "{p:?} vs {src:?}");
    }
}
