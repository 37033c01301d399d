//! The ObsCore 1.1 table (IVOA REC 2017-05-09, §3 and Appendix B, Table 6): the mandatory
//! columns with their types, UCDs, utypes and units, as `vostok ingest --format fits-images`
//! writes them and TAP_SCHEMA publishes them.

use std::collections::BTreeMap;

use datafusion::arrow::datatypes::{DataType, Field, Schema};

use crate::config::ColumnConfig;

/// TAP_SCHEMA.tables.utype of an ObsCore 1.1 table (ObsCore 1.1 §4.2).
pub const TABLE_UTYPE: &str = "ivo://ivoa.net/std/obscore#table-1.1";

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    Int,
    Long,
    Double,
    /// A DALI polygon: a list of longitude/latitude pairs in degrees.
    Polygon,
}

/// (name, kind, UCD, utype without the `obscore:` prefix, unit, description)
pub type ColumnSpec = (
    &'static str,
    Kind,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
);

pub const COLUMNS: &[ColumnSpec] = &[
    (
        "dataproduct_type",
        Kind::Text,
        "meta.code.class",
        "ObsDataset.dataProductType",
        None,
        "Data product type (image, cube, …)",
    ),
    (
        "calib_level",
        Kind::Int,
        "meta.code;obs.calib",
        "ObsDataset.calibLevel",
        None,
        "Calibration level: 0 raw, 1 instrumental, 2 calibrated, 3 enhanced, 4 analysis",
    ),
    (
        "obs_collection",
        Kind::Text,
        "meta.id",
        "DataID.Collection",
        None,
        "Name of the data collection",
    ),
    (
        "obs_id",
        Kind::Text,
        "meta.id",
        "DataID.observationID",
        None,
        "Observation identifier",
    ),
    (
        "obs_publisher_did",
        Kind::Text,
        "meta.ref.ivoid",
        "Curation.PublisherDID",
        None,
        "Publisher's dataset identifier (IVOA URI)",
    ),
    (
        "access_url",
        Kind::Text,
        "meta.ref.url",
        "Access.Reference",
        None,
        "URL of the data file",
    ),
    (
        "access_format",
        Kind::Text,
        "meta.code.mime",
        "Access.Format",
        None,
        "Media type of the data file",
    ),
    (
        "access_estsize",
        Kind::Long,
        "phys.size;meta.file",
        "Access.Size",
        Some("kbyte"),
        "Size of the data file",
    ),
    (
        "target_name",
        Kind::Text,
        "meta.id;src",
        "Target.Name",
        None,
        "Name of the observed target",
    ),
    (
        "s_ra",
        Kind::Double,
        "pos.eq.ra",
        "Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C1",
        Some("deg"),
        "Right ascension of the image centre (ICRS)",
    ),
    (
        "s_dec",
        Kind::Double,
        "pos.eq.dec",
        "Char.SpatialAxis.Coverage.Location.Coord.Position2D.Value2.C2",
        Some("deg"),
        "Declination of the image centre (ICRS)",
    ),
    (
        "s_fov",
        Kind::Double,
        "phys.angSize;instr.fov",
        "Char.SpatialAxis.Coverage.Bounds.Extent.diameter",
        Some("deg"),
        "Diameter of the smallest circle around the footprint",
    ),
    (
        "s_region",
        Kind::Text,
        "pos.outline;obs.field",
        "Char.SpatialAxis.Coverage.Support.Area",
        None,
        "Footprint as STC-S: the image corners through its WCS",
    ),
    (
        "s_resolution",
        Kind::Double,
        "pos.angResolution",
        "Char.SpatialAxis.Resolution.Refval.value",
        Some("arcsec"),
        "Spatial resolution, here the pixel scale (the sampling limit)",
    ),
    (
        "s_xel1",
        Kind::Long,
        "meta.number",
        "Char.SpatialAxis.numBins1",
        None,
        "Pixels along the first axis",
    ),
    (
        "s_xel2",
        Kind::Long,
        "meta.number",
        "Char.SpatialAxis.numBins2",
        None,
        "Pixels along the second axis",
    ),
    (
        "t_min",
        Kind::Double,
        "time.start;obs.exposure",
        "Char.TimeAxis.Coverage.Bounds.Limits.StartTime",
        Some("d"),
        "Start of the exposure (MJD)",
    ),
    (
        "t_max",
        Kind::Double,
        "time.end;obs.exposure",
        "Char.TimeAxis.Coverage.Bounds.Limits.StopTime",
        Some("d"),
        "End of the exposure (MJD)",
    ),
    (
        "t_exptime",
        Kind::Double,
        "time.duration;obs.exposure",
        "Char.TimeAxis.Coverage.Support.Extent",
        Some("s"),
        "Exposure time",
    ),
    (
        "t_resolution",
        Kind::Double,
        "time.resolution",
        "Char.TimeAxis.Resolution.Refval.value",
        Some("s"),
        "Temporal resolution",
    ),
    (
        "t_xel",
        Kind::Long,
        "meta.number",
        "Char.TimeAxis.numBins",
        None,
        "Samples along the time axis",
    ),
    (
        "em_min",
        Kind::Double,
        "em.wl;stat.min",
        "Char.SpectralAxis.Coverage.Bounds.Limits.LoLimit",
        Some("m"),
        "Shortest wavelength observed",
    ),
    (
        "em_max",
        Kind::Double,
        "em.wl;stat.max",
        "Char.SpectralAxis.Coverage.Bounds.Limits.HiLimit",
        Some("m"),
        "Longest wavelength observed",
    ),
    (
        "em_res_power",
        Kind::Double,
        "spect.resolution",
        "Char.SpectralAxis.Resolution.ResolPower.refVal",
        None,
        "Spectral resolving power λ/δλ",
    ),
    (
        "em_xel",
        Kind::Long,
        "meta.number",
        "Char.SpectralAxis.numBins",
        None,
        "Samples along the spectral axis",
    ),
    (
        "o_ucd",
        Kind::Text,
        "meta.ucd",
        "Char.ObservableAxis.ucd",
        None,
        "UCD of the observable (the pixel values)",
    ),
    (
        "pol_states",
        Kind::Text,
        "meta.code;phys.polarization",
        "Char.PolarizationAxis.stateList",
        None,
        "Polarization states present",
    ),
    (
        "pol_xel",
        Kind::Long,
        "meta.number",
        "Char.PolarizationAxis.numBins",
        None,
        "Samples along the polarization axis",
    ),
    (
        "facility_name",
        Kind::Text,
        "meta.id;instr.tel",
        "Provenance.ObsConfig.Facility.name",
        None,
        "Telescope or observatory",
    ),
    (
        "instrument_name",
        Kind::Text,
        "meta.id;instr",
        "Provenance.ObsConfig.Instrument.name",
        None,
        "Instrument",
    ),
    // Not ObsCore: s_region as a DALI polygon, which ADQL geometry functions (and SIA's POS)
    // compute with; s_region itself is the STC-S string ObsCore 1.1 and TAP 1.0 clients read.
    (
        FOOTPRINT,
        Kind::Polygon,
        "pos.outline;obs.field",
        "",
        Some("deg"),
        "Footprint as a DALI polygon, for INTERSECTS/CONTAINS in ADQL",
    ),
];

/// The custom column holding the footprint as a DALI polygon.
pub const FOOTPRINT: &str = "s_footprint";

pub fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text => DataType::Utf8,
        Kind::Int => DataType::Int32,
        Kind::Long => DataType::Int64,
        Kind::Double => DataType::Float64,
        Kind::Polygon => DataType::List(std::sync::Arc::new(Field::new(
            "item",
            DataType::Float64,
            true,
        ))),
    }
}

/// The Arrow schema of the ObsCore rows; the identifiers and access columns are never null.
pub fn schema() -> Schema {
    let required = [
        "dataproduct_type",
        "calib_level",
        "obs_collection",
        "obs_id",
        "obs_publisher_did",
        "access_url",
        "access_format",
    ];
    Schema::new(
        COLUMNS
            .iter()
            .map(|(name, kind, ..)| Field::new(*name, data_type(*kind), !required.contains(name)))
            .collect::<Vec<_>>(),
    )
}

/// The column metadata (for the configuration snippet and TAP_SCHEMA).
pub fn metadata() -> BTreeMap<String, ColumnConfig> {
    COLUMNS
        .iter()
        .map(|(name, kind, ucd, utype, unit, description)| {
            let principal = matches!(
                *name,
                "dataproduct_type"
                    | "obs_id"
                    | "access_url"
                    | "target_name"
                    | "s_ra"
                    | "s_dec"
                    | "s_fov"
                    | "t_min"
                    | "em_min"
                    | "em_max"
                    | "instrument_name"
            );
            (
                (*name).to_owned(),
                ColumnConfig {
                    description: Some((*description).to_owned()),
                    unit: unit.map(str::to_owned),
                    ucd: Some((*ucd).to_owned()),
                    utype: (!utype.is_empty()).then(|| format!("obscore:{utype}")),
                    xtype: match (*name, kind) {
                        (_, Kind::Polygon) => Some("polygon".to_owned()),
                        ("s_region", _) => Some("adql:REGION".to_owned()),
                        _ => None,
                    },
                    principal,
                    std: *name != FOOTPRINT,
                    base_url: *name == "access_url",
                    ..ColumnConfig::default()
                },
            )
        })
        .collect()
}
