//! Footprints (polygons) as ingest writes them, GeoParquet 1.1 style: the geometry as WKB in a
//! `geometry` column, the per-feature bounding box in four flat columns `bbox_xmin` … (whose
//! Parquet statistics let bbox queries skip row groups; flat rather than GeoParquet's `bbox`
//! struct because DataFusion prunes on plain columns and ADQL can query them), and the
//! centroid in `centroid_lon`/`centroid_lat`, which the HEALPix index and sort use so that
//! neighbouring footprints share row groups. The file carries the `geo` metadata key.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BinaryBuilder, Float64Builder};
use datafusion::arrow::datatypes::{DataType, Field};
use ogc_features::geometry::{Geometry, Position};
use ogc_features::{Crs, seam};

/// The columns a footprint adds, in order.
pub const COLUMNS: [&str; 7] = [
    "geometry",
    "bbox_xmin",
    "bbox_ymin",
    "bbox_xmax",
    "bbox_ymax",
    "centroid_lon",
    "centroid_lat",
];
pub const CENTROID_LON: &str = "centroid_lon";
pub const CENTROID_LAT: &str = "centroid_lat";

/// PROJJSON of IAU_2015:49900, as `projinfo IAU_2015:49900 -o PROJJSON` (PROJ 9.1) prints it.
const MARS_2015_PROJJSON: &str = include_str!("iau_2015_49900.projjson");

pub fn fields() -> Vec<Field> {
    COLUMNS
        .iter()
        .map(|name| match *name {
            "geometry" => Field::new(*name, DataType::Binary, false),
            _ => Field::new(*name, DataType::Float64, false),
        })
        .collect()
}

/// The centre of the footprint's vertices on the sphere (mean of unit vectors), as longitude
/// 0..360 and latitude: where a polar cap is, its pole.
fn centroid(geometry: &Geometry) -> Position {
    let mut sum = [0.0f64; 3];
    let mut add = |[lon, lat]: Position| {
        let (lon, lat) = (lon.to_radians(), lat.to_radians());
        sum[0] += lat.cos() * lon.cos();
        sum[1] += lat.cos() * lon.sin();
        sum[2] += lat.sin();
    };
    match geometry {
        // A ring repeats its first vertex: counting it twice would pull the centre towards it.
        Geometry::Polygon(rings) => rings
            .iter()
            .take(1)
            .for_each(|r| r.iter().skip(1).copied().for_each(&mut add)),
        Geometry::MultiPolygon(polygons) => polygons
            .iter()
            .filter_map(|p| p.first())
            .for_each(|r| r.iter().skip(1).copied().for_each(&mut add)),
        other => other.for_each_position(&mut add),
    }
    let norm = (sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]).sqrt();
    if norm < 1e-12 {
        return [0.0, 0.0];
    }
    let lat = (sum[2] / norm).clamp(-1.0, 1.0).asin().to_degrees();
    let lon = if sum[0].abs() < 1e-15 && sum[1].abs() < 1e-15 {
        0.0
    } else {
        sum[1].atan2(sum[0]).to_degrees()
    };
    [lon.rem_euclid(360.0), lat]
}

/// Builds the footprint columns of a batch, and the union of their boxes for the file.
pub struct FootprintColumns {
    geometry: BinaryBuilder,
    boxes: [Float64Builder; 4],
    centroid: [Float64Builder; 2],
    pub extent: Option<[f64; 4]>,
}

impl Default for FootprintColumns {
    fn default() -> Self {
        Self {
            geometry: BinaryBuilder::new(),
            boxes: Default::default(),
            centroid: Default::default(),
            extent: None,
        }
    }
}

impl FootprintColumns {
    /// Adds one footprint; None when it has no finite coordinates.
    pub fn push(&mut self, geometry: &Geometry) -> Option<()> {
        let bbox = seam::unwrapped_bbox(geometry)?;
        self.geometry.append_value(geometry.to_wkb());
        for (builder, v) in self.boxes.iter_mut().zip(bbox) {
            builder.append_value(v);
        }
        let [lon, lat] = centroid(geometry);
        self.centroid[0].append_value(lon);
        self.centroid[1].append_value(lat);
        self.extent = Some(match self.extent {
            None => bbox,
            Some(e) => [
                e[0].min(bbox[0]),
                e[1].min(bbox[1]),
                e[2].max(bbox[2]),
                e[3].max(bbox[3]),
            ],
        });
        Some(())
    }

    /// The columns of the footprints pushed since the last call.
    pub fn finish(&mut self) -> Vec<ArrayRef> {
        let mut columns: Vec<ArrayRef> = vec![Arc::new(self.geometry.finish())];
        columns.extend(
            self.boxes
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        columns.extend(
            self.centroid
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        columns
    }
}

/// The GeoParquet 1.1 `geo` metadata value for the `geometry` column.
pub fn geoparquet_metadata(types: &[&str], extent: Option<[f64; 4]>, crs: Crs) -> String {
    let mut column = serde_json::json!({
        "encoding": "WKB",
        "geometry_types": types,
        "edges": "planar",
    });
    if let (Some([w, s, e, n]), Some(object)) = (extent, column.as_object_mut()) {
        // The unwrapped boxes may reach a little past the longitude range; the file's box stays in it.
        object.insert(
            "bbox".into(),
            serde_json::json!([w.max(-180.0), s, e.min(360.0), n]),
        );
    }
    if crs == Crs::Mars49900
        && let (Ok(projjson), Some(object)) = (
            serde_json::from_str::<serde_json::Value>(MARS_2015_PROJJSON),
            column.as_object_mut(),
        )
    {
        object.insert("crs".into(), projjson);
    }
    serde_json::json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": { "geometry": column },
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_centroid_of_a_ring_across_0_is_near_0_and_of_a_polar_cap_the_pole() {
        let ring = vec![
            [359.0, -1.0],
            [1.0, -1.0],
            [1.0, 1.0],
            [359.0, 1.0],
            [359.0, -1.0],
        ];
        let [lon, lat] = centroid(&Geometry::Polygon(vec![ring]));
        assert!(!(1e-9..=360.0 - 1e-9).contains(&lon), "{lon}");
        assert!(lat.abs() < 1e-9);
        let cap: Vec<Position> = (0..=60).map(|i| [f64::from(i) * 6.0, 65.0]).collect();
        assert!((centroid(&Geometry::Polygon(vec![cap]))[1] - 90.0).abs() < 1e-9);
    }

    #[test]
    fn mars_files_name_their_crs() {
        let text = geoparquet_metadata(
            &["Polygon"],
            Some([0.0, -10.0, 361.0, 10.0]),
            Crs::Mars49900,
        );
        let geo: serde_json::Value = serde_json::from_str(&text).unwrap();
        let column = &geo["columns"]["geometry"];
        assert_eq!(column["crs"]["name"], "Mars (2015) - Sphere / Ocentric");
        assert_eq!(column["bbox"], serde_json::json!([0.0, -10.0, 360.0, 10.0]));
        let earth: serde_json::Value =
            serde_json::from_str(&geoparquet_metadata(&["Polygon"], None, Crs::Crs84)).unwrap();
        assert!(
            earth["columns"]["geometry"].get("crs").is_none(),
            "CRS84 is GeoParquet's default"
        );
    }
}
