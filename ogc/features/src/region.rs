//! ObsCore / EPN-TAP `s_region` values as geometries: STC-S text (IVOA STC-S 1.33 note, as
//! ObsCore 1.1 §4.10 uses it: `Polygon ICRS 10 20 11 20 11 21`, `Circle ICRS 10 20 0.5`,
//! `Box ICRS 10 20 2 1`, `Union ICRS (Polygon … Polygon …)`) and DALI 1.1 `polygon` arrays
//! (§3.3.7: x1 y1 x2 y2 …). Positions are in degrees; edges are great circles.

use super::geometry::{Geometry, Position, Ring};
use super::sphere::circle;

/// Vertices of the polygon that stands for a circle.
const CIRCLE_VERTICES: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid region `{text}`: {why}")]
pub struct RegionError {
    pub text: String,
    pub why: String,
}

/// A DALI polygon: an even number (at least 6) of coordinates.
pub fn dali_polygon(values: &[f64]) -> Result<Geometry, RegionError> {
    Ok(Geometry::Polygon(vec![ring(values).map_err(|why| {
        RegionError {
            text: format!("{values:?}"),
            why,
        }
    })?]))
}

fn ring(values: &[f64]) -> Result<Ring, String> {
    if values.len() < 6 || !values.len().is_multiple_of(2) {
        return Err(format!(
            "a polygon needs 3 or more vertices, got {} numbers",
            values.len()
        ));
    }
    let mut ring: Ring = values.chunks_exact(2).map(|c| [c[0], c[1]]).collect();
    if ring.first() != ring.last()
        && let Some(&first) = ring.first()
    {
        ring.push(first);
    }
    Ok(ring)
}

/// Parses STC-S text.
pub fn parse_stcs(text: &str) -> Result<Geometry, RegionError> {
    let error = |why: String| RegionError {
        text: text.to_owned(),
        why,
    };
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let Some(first) = tokens.first() else {
        return Err(error("empty".into()));
    };
    let mut polygons = Vec::new();
    if first.eq_ignore_ascii_case("union") {
        let mut rest = &tokens[1..];
        while let Some(position) = rest.iter().position(|t| is_shape(t)) {
            let start = &rest[position..];
            let end = start[1..]
                .iter()
                .position(|t| is_shape(t))
                .map_or(start.len(), |e| e + 1);
            polygons.push(shape(&start[..end]).map_err(error)?);
            rest = &start[end..];
        }
        if polygons.is_empty() {
            return Err(error("a union with no shape".into()));
        }
    } else {
        polygons.push(shape(&tokens).map_err(error)?);
    }
    Ok(if polygons.len() == 1 {
        Geometry::Polygon(vec![polygons.remove(0)])
    } else {
        Geometry::MultiPolygon(polygons.into_iter().map(|r| vec![r]).collect())
    })
}

fn is_shape(token: &str) -> bool {
    ["polygon", "circle", "box", "position"]
        .iter()
        .any(|s| token.eq_ignore_ascii_case(s))
}

/// One shape: its keyword, optional frame / reference position / flavour words, numbers.
fn shape(tokens: &[&str]) -> Result<Ring, String> {
    let kind = tokens.first().ok_or("no shape")?.to_ascii_lowercase();
    let numbers: Vec<f64> = tokens[1..]
        .iter()
        .filter(|t| !matches!(**t, "(" | ")"))
        .skip_while(|t| t.parse::<f64>().is_err())
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| format!("`{t}` is not a number"))
        })
        .collect::<Result<_, _>>()?;
    match kind.as_str() {
        "polygon" => ring(&numbers),
        "circle" => match numbers[..] {
            [x, y, r] if r > 0.0 && r < 180.0 => Ok(circle([x, y], r, CIRCLE_VERTICES)),
            _ => Err("a circle needs a centre and a radius between 0 and 180".into()),
        },
        "box" => match numbers[..] {
            [x, y, w, h] if w > 0.0 && h > 0.0 => {
                let (dx, dy) = (w / 2.0, h / 2.0);
                let corners: [Position; 5] = [
                    [x - dx, y - dy],
                    [x + dx, y - dy],
                    [x + dx, y + dy],
                    [x - dx, y + dy],
                    [x - dx, y - dy],
                ];
                Ok(corners.to_vec())
            }
            _ => Err("a box needs a centre, a width and a height".into()),
        },
        other => Err(format!("`{other}` regions are not supported")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_obscore_polygon_is_read_with_its_frame() {
        let g = parse_stcs("Polygon ICRS 10 20 11 20 11 21").unwrap();
        assert_eq!(
            g,
            Geometry::Polygon(vec![vec![
                [10.0, 20.0],
                [11.0, 20.0],
                [11.0, 21.0],
                [10.0, 20.0]
            ]])
        );
        assert_eq!(
            parse_stcs("POLYGON 1 2 3 4 5 6").unwrap(),
            parse_stcs("polygon UNKNOWNFrame 1 2 3 4 5 6").unwrap()
        );
    }

    #[test]
    fn circles_boxes_and_unions_become_polygons() {
        let Geometry::Polygon(rings) = parse_stcs("Circle ICRS 10 20 1").unwrap() else {
            panic!()
        };
        assert_eq!(rings[0].len(), CIRCLE_VERTICES + 1);
        let Geometry::Polygon(rings) = parse_stcs("Box ICRS 10 20 2 4").unwrap() else {
            panic!()
        };
        assert_eq!(rings[0][2], [11.0, 22.0]);
        let union = parse_stcs("Union ICRS (Polygon 1 2 3 4 5 6 Circle 10 10 1)").unwrap();
        assert!(matches!(union, Geometry::MultiPolygon(ref p) if p.len() == 2));
    }

    #[test]
    fn bad_regions_say_why() {
        assert!(parse_stcs("").is_err());
        assert!(
            parse_stcs("Polygon ICRS 1 2 3")
                .unwrap_err()
                .why
                .contains("3 or more")
        );
        assert!(parse_stcs("Circle ICRS 1 2").is_err());
        assert!(
            parse_stcs("Polygon ICRS 1 2 x 4 5 6")
                .unwrap_err()
                .why
                .contains("`x`")
        );
        assert!(parse_stcs("Ellipse ICRS 1 2 3 4 5").is_err());
        assert!(dali_polygon(&[1.0, 2.0, 3.0, 4.0]).is_err());
        assert!(dali_polygon(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).is_ok());
    }
}
