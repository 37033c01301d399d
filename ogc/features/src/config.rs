//! The feature part of the `[ogc]` configuration: `[ogc.features]` (limits, precision) and one
//! `[ogc.features.collections.<id>]` table per collection served through WFS and OGC API –
//! Features.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Feature collections and the limits of the feature services.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeaturesConfig {
    /// Features per page when a request names no limit (OGC API `limit`; WFS without COUNT
    /// returns up to `max_limit`).
    pub default_limit: u64,
    /// Most features one response holds: advertised as the OpenAPI `maximum` of `limit` and as
    /// the WFS `CountDefault` constraint.
    pub max_limit: u64,
    /// Decimals written per coordinate (RFC 7946 §11.2 recommends no more than needed).
    pub precision: u8,
    /// Longest edge, in degrees, of a great-circle footprint written as lon/lat: longer edges get
    /// intermediate points so that clients drawing straight lon/lat lines show the right shape.
    pub densify_deg: f64,
    /// Collections by id (the WFS type name and the OGC API collection id).
    pub collections: BTreeMap<String, CollectionConfig>,
}

impl Default for FeaturesConfig {
    fn default() -> Self {
        Self {
            default_limit: 100,
            max_limit: 10_000,
            precision: 7,
            densify_deg: 1.0,
            collections: BTreeMap::new(),
        }
    }
}

/// One feature collection over a catalogue table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionConfig {
    /// The catalogue table, `schema.table`, as declared under `[schemas]`.
    pub table: String,
    /// The column whose values identify features; the order of paging.
    pub id: String,
    /// Where each feature's geometry comes from.
    pub geometry: GeometrySource,
    /// CRS of the stored coordinates: `OGC:CRS84` (Earth, the default) or `IAU_2015:49900`
    /// (Mars, planetocentric, east longitudes).
    #[serde(default = "default_crs")]
    pub crs: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// How edges between stored vertices run: straight in lon/lat (`planar`, GeoJSON's rule) or
    /// along great circles (`great_circle`, the rule of DALI/ADQL polygons). Default: planar,
    /// except for `s_region` sources.
    pub edges: Option<Edges>,
    /// A timestamp column for the OGC API `datetime` parameter.
    pub datetime: Option<String>,
}

fn default_crs() -> String {
    "OGC:CRS84".to_owned()
}

/// The column(s) a geometry is read from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum GeometrySource {
    /// `geometry = { wkb = "geometry" }`: OGC well-known binary, as GeoParquet stores it.
    Wkb { wkb: String },
    /// `geometry = { s_region = "s_region" }`: an ObsCore/EPN-TAP region, STC-S text
    /// (`Polygon ICRS 10 20 …`, `Circle …`, `Box …`) or a DALI polygon array.
    SRegion { s_region: String },
    /// `geometry = { lon = "lon", lat = "lat" }`: points from two columns in degrees.
    LonLat { lon: String, lat: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edges {
    Planar,
    GreatCircle,
}

impl CollectionConfig {
    pub fn edges(&self) -> Edges {
        self.edges.unwrap_or(match self.geometry {
            GeometrySource::SRegion { .. } => Edges::GreatCircle,
            _ => Edges::Planar,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        features: FeaturesConfig,
    }

    #[test]
    fn the_three_geometry_sources_parse() {
        let doc: Doc = toml::from_str(
            r#"
            [features]
            max_limit = 500
            [features.collections.craters]
            table = "mars.craters"
            id = "feature_id"
            crs = "IAU_2015:49900"
            geometry = { wkb = "geometry" }
            [features.collections.obs]
            table = "ivoa.obscore"
            id = "obs_publisher_did"
            geometry = { s_region = "s_region" }
            [features.collections.names]
            table = "mars.nomenclature"
            id = "feature_id"
            geometry = { lon = "lon", lat = "lat" }
            "#,
        )
        .unwrap();
        let features = doc.features;
        assert_eq!(features.max_limit, 500);
        assert_eq!(features.default_limit, 100);
        let craters = &features.collections["craters"];
        assert_eq!(
            craters.geometry,
            GeometrySource::Wkb {
                wkb: "geometry".into()
            }
        );
        assert_eq!(craters.edges(), Edges::Planar);
        assert_eq!(features.collections["obs"].edges(), Edges::GreatCircle);
        assert_eq!(features.collections["obs"].crs, "OGC:CRS84");
        assert!(matches!(
            features.collections["names"].geometry,
            GeometrySource::LonLat { .. }
        ));
    }

    #[test]
    fn an_unknown_key_is_refused() {
        let result: Result<Doc, _> = toml::from_str(
            "[features.collections.c]\ntable = \"s.t\"\nid = \"id\"\ngeometry = { wkb = \"g\" }\ntitel = \"x\"\n",
        );
        assert!(result.err().unwrap().to_string().contains("titel"));
    }
}
