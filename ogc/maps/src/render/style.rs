//! Pixel values → colours: 8-bit grey/RGB(A) as they are, other data through a linear stretch
//! onto a colour ramp.

use crate::config::StretchConfig;
use crate::raster::SampleKind;

#[derive(Debug, thiserror::Error)]
pub enum StyleError {
    #[error("stretch min ({0}) must be below max ({1})")]
    Range(f64, f64),
    #[error("colour '{0}' is not #rrggbb")]
    Colour(String),
    #[error("{0}-bit/float data with {1} bands needs a `stretch`")]
    NeedsStretch(&'static str, usize),
}

#[derive(Debug, Clone)]
pub struct Style {
    bands: usize,
    /// Linear map of [min, max] onto the ramp; None = 8-bit values shown as they are.
    stretch: Option<(f32, f32)>,
    /// Colour stops (at least two), evenly spaced.
    ramp: Vec<[u8; 3]>,
}

/// Parses `#rrggbb` (or `0xRRGGBB`, the WMS BGCOLOR form).
pub fn parse_hex_colour(text: &str) -> Option<[u8; 3]> {
    let hex = text
        .strip_prefix('#')
        .or_else(|| text.strip_prefix("0x"))
        .or_else(|| text.strip_prefix("0X"))?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some([(v >> 16) as u8, (v >> 8) as u8, v as u8])
}

impl Style {
    pub fn new(
        stretch: Option<&StretchConfig>,
        bands: usize,
        kind: SampleKind,
    ) -> Result<Self, StyleError> {
        let ramp = match stretch.map(|s| s.colors.as_slice()) {
            Some(colours) if !colours.is_empty() => {
                let mut ramp = colours
                    .iter()
                    .map(|c| parse_hex_colour(c).ok_or_else(|| StyleError::Colour(c.clone())))
                    .collect::<Result<Vec<_>, _>>()?;
                if ramp.len() == 1 {
                    ramp.insert(0, [0, 0, 0]);
                }
                ramp
            }
            _ => vec![[0, 0, 0], [255, 255, 255]],
        };
        let stretch = match stretch {
            Some(s) if s.min < s.max => Some((s.min as f32, s.max as f32)),
            Some(s) => return Err(StyleError::Range(s.min, s.max)),
            None if kind.is_u8() => None,
            None => return Err(StyleError::NeedsStretch(kind.name(), bands)),
        };
        Ok(Self {
            bands,
            stretch,
            ramp,
        })
    }

    fn scale(&self, v: f32) -> f32 {
        match self.stretch {
            Some((min, max)) => ((v - min) / (max - min)).clamp(0.0, 1.0),
            None => (v / 255.0).clamp(0.0, 1.0),
        }
    }

    fn ramp(&self, t: f32) -> [u8; 3] {
        let segments = (self.ramp.len() - 1) as f32;
        let pos = t * segments;
        let i = (pos.floor() as usize).min(self.ramp.len() - 2);
        let f = pos - i as f32;
        let (a, b) = (self.ramp[i], self.ramp[i + 1]);
        std::array::from_fn(|k| {
            (f32::from(a[k]) + f * (f32::from(b[k]) - f32::from(a[k])) + 0.5) as u8
        })
    }

    /// The colour of one pixel's band values.
    pub fn colour(&self, px: &[f32]) -> [u8; 4] {
        // `+ 0.5` then truncation rounds the non-negative values here, without a libm call.
        let byte = |v: f32| match self.stretch {
            None => (v.clamp(0.0, 255.0) + 0.5) as u8,
            Some(_) => (self.scale(v) * 255.0 + 0.5) as u8,
        };
        let alpha = |v: f32| (v.clamp(0.0, 255.0) + 0.5) as u8;
        match self.bands {
            1 | 2 => {
                let [r, g, b] = self.ramp(self.scale(px[0]));
                let a = if self.bands == 2 { alpha(px[1]) } else { 255 };
                [r, g, b, a]
            }
            3 => [byte(px[0]), byte(px[1]), byte(px[2]), 255],
            _ => [byte(px[0]), byte(px[1]), byte(px[2]), alpha(px[3])],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stretch(min: f64, max: f64, colors: &[&str]) -> StretchConfig {
        StretchConfig {
            min,
            max,
            colors: colors.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn eight_bit_grey_passes_through() {
        let s = Style::new(None, 1, SampleKind::U8).unwrap();
        assert_eq!(s.colour(&[128.0]), [128, 128, 128, 255]);
    }

    #[test]
    fn float_data_is_stretched_onto_the_ramp() {
        let s = Style::new(
            Some(&stretch(-100.0, 100.0, &["#0000ff", "#ffffff", "#ff0000"])),
            1,
            SampleKind::F32,
        )
        .unwrap();
        assert_eq!(s.colour(&[-100.0]), [0, 0, 255, 255]);
        assert_eq!(s.colour(&[0.0]), [255, 255, 255, 255]);
        assert_eq!(s.colour(&[500.0]), [255, 0, 0, 255]);
        assert_eq!(s.colour(&[50.0]), [255, 128, 128, 255]);
    }

    #[test]
    fn float_data_without_stretch_is_a_configuration_error() {
        assert!(Style::new(None, 1, SampleKind::F32).is_err());
        assert!(Style::new(Some(&stretch(1.0, 1.0, &[])), 1, SampleKind::U16).is_err());
        assert!(Style::new(Some(&stretch(0.0, 1.0, &["red"])), 1, SampleKind::U16).is_err());
    }

    #[test]
    fn parses_both_colour_notations() {
        assert_eq!(parse_hex_colour("0xFF8000"), Some([255, 128, 0]));
        assert_eq!(parse_hex_colour("#000000"), Some([0, 0, 0]));
        assert_eq!(parse_hex_colour("FF8000"), None);
    }
}
