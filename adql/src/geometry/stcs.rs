//! The STC-S subset REGION accepts (ADQL 2.1 §4.2.16; TAP 1.0 §6): `Position`, `Circle`, `Box`
//! and `Polygon`, with optional frame, reference position and flavor words.

use super::{Shape, SkyPoint, box_vertices};

/// Parses an STC-S region into a shape.
pub fn parse(text: &str) -> Result<Shape, String> {
    let mut words = text.split_whitespace();
    let Some(kind) = words.next() else {
        return Err("REGION: empty STC-S string".into());
    };
    let numbers: Vec<f64> = words
        .skip_while(|w| w.parse::<f64>().is_err())
        .take_while(|w| w.parse::<f64>().is_ok())
        .filter_map(|w| w.parse().ok())
        .collect();
    let bad = || {
        Err(format!(
            "REGION: cannot read '{text}' as STC-S {kind} (wrong number of coordinates)"
        ))
    };
    match kind.to_ascii_lowercase().as_str() {
        "position" => match numbers[..] {
            [lon, lat] => Ok(Shape::Point(SkyPoint::new(lon, lat))),
            _ => bad(),
        },
        "circle" => match numbers[..] {
            [lon, lat, radius] => Ok(Shape::Circle {
                centre: SkyPoint::new(lon, lat),
                radius,
            }),
            _ => bad(),
        },
        "box" => match numbers[..] {
            [lon, lat, width, height] => Ok(Shape::Polygon(box_vertices(
                SkyPoint::new(lon, lat),
                width,
                height,
            ))),
            _ => bad(),
        },
        "polygon" if numbers.len() >= 6 && numbers.len().is_multiple_of(2) => Ok(Shape::Polygon(
            numbers
                .chunks(2)
                .map(|c| SkyPoint::new(c[0], c[1]))
                .collect(),
        )),
        "polygon" => bad(),
        other => Err(format!(
            "REGION: STC-S '{other}' is not supported; use Position, Circle, Box or Polygon"
        )),
    }
}
