//! The mandatory columns of an EPN-TAP 2.0 `epn_core` table (EPN-TAP 2.0 §2, Table 1), with
//! their types, units and UCDs.

/// The table name EPN-TAP clients look for in every schema.
pub const TABLE_NAME: &str = "epn_core";

/// TAP_SCHEMA.tables.utype of an EPN-TAP 2.0 table.
pub const TABLE_UTYPE: &str = "ivo://ivoa.net/std/epntap#table-2.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Double,
    Integer,
    /// ISO 8601 text with xtype `timestamp`, or an Arrow timestamp.
    Timestamp,
    /// STC-S text (xtype `adql:REGION`) or a DALI shape array.
    Region,
}

/// How the UCD of a column is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ucd {
    Exactly(&'static str),
    /// c1/c2/c3 columns: the UCD depends on `spatial_frame_type` (pos.bodyrc.lon for a body,
    /// pos.eq.ra for the sky, …): any `pos.*` word followed by this statistic.
    Position(&'static str),
}

/// One mandatory column: name, kind, unit (`None`: no unit, `Some("*")`: the frame decides),
/// UCD, and whether every row must have a value.
#[derive(Debug, Clone, Copy)]
pub struct Mandatory {
    pub name: &'static str,
    pub kind: Kind,
    pub unit: Option<&'static str>,
    pub ucd: Ucd,
    pub not_null: bool,
}

const fn col(
    name: &'static str,
    kind: Kind,
    unit: Option<&'static str>,
    ucd: Ucd,
    not_null: bool,
) -> Mandatory {
    Mandatory {
        name,
        kind,
        unit,
        ucd,
        not_null,
    }
}

use Kind::{Double, Integer, Region, Text, Timestamp};
use Ucd::{Exactly, Position};

pub const MANDATORY: [Mandatory; 46] = [
    col("granule_uid", Text, None, Exactly("meta.id"), true),
    col("granule_gid", Text, None, Exactly("meta.id"), true),
    col("obs_id", Text, None, Exactly("meta.id;obs"), true),
    col(
        "dataproduct_type",
        Text,
        None,
        Exactly("meta.code.class"),
        true,
    ),
    col("target_name", Text, None, Exactly("meta.id;src"), true),
    col(
        "target_class",
        Text,
        None,
        Exactly("meta.code.class;src"),
        true,
    ),
    col("time_min", Double, Some("d"), Exactly("time.start"), false),
    col("time_max", Double, Some("d"), Exactly("time.end"), false),
    col(
        "time_sampling_step_min",
        Double,
        Some("s"),
        Exactly("time.resolution;stat.min"),
        false,
    ),
    col(
        "time_sampling_step_max",
        Double,
        Some("s"),
        Exactly("time.resolution;stat.max"),
        false,
    ),
    col(
        "time_exp_min",
        Double,
        Some("s"),
        Exactly("time.duration;stat.min"),
        false,
    ),
    col(
        "time_exp_max",
        Double,
        Some("s"),
        Exactly("time.duration;stat.max"),
        false,
    ),
    col(
        "spectral_range_min",
        Double,
        Some("Hz"),
        Exactly("em.freq;stat.min"),
        false,
    ),
    col(
        "spectral_range_max",
        Double,
        Some("Hz"),
        Exactly("em.freq;stat.max"),
        false,
    ),
    col(
        "spectral_sampling_step_min",
        Double,
        Some("Hz"),
        Exactly("em.freq.step;stat.min"),
        false,
    ),
    col(
        "spectral_sampling_step_max",
        Double,
        Some("Hz"),
        Exactly("em.freq.step;stat.max"),
        false,
    ),
    col(
        "spectral_resolution_min",
        Double,
        None,
        Exactly("spect.resolution;stat.min"),
        false,
    ),
    col(
        "spectral_resolution_max",
        Double,
        None,
        Exactly("spect.resolution;stat.max"),
        false,
    ),
    col("c1min", Double, Some("*"), Position("stat.min"), false),
    col("c1max", Double, Some("*"), Position("stat.max"), false),
    col("c2min", Double, Some("*"), Position("stat.min"), false),
    col("c2max", Double, Some("*"), Position("stat.max"), false),
    col("c3min", Double, Some("*"), Position("stat.min"), false),
    col("c3max", Double, Some("*"), Position("stat.max"), false),
    col(
        "s_region",
        Region,
        None,
        Exactly("pos.outline;obs.field"),
        false,
    ),
    col(
        "c1_resol_min",
        Double,
        Some("*"),
        Exactly("pos.resolution;stat.min"),
        false,
    ),
    col(
        "c1_resol_max",
        Double,
        Some("*"),
        Exactly("pos.resolution;stat.max"),
        false,
    ),
    col(
        "c2_resol_min",
        Double,
        Some("*"),
        Exactly("pos.resolution;stat.min"),
        false,
    ),
    col(
        "c2_resol_max",
        Double,
        Some("*"),
        Exactly("pos.resolution;stat.max"),
        false,
    ),
    col(
        "c3_resol_min",
        Double,
        Some("*"),
        Exactly("pos.resolution;stat.min"),
        false,
    ),
    col(
        "c3_resol_max",
        Double,
        Some("*"),
        Exactly("pos.resolution;stat.max"),
        false,
    ),
    col(
        "spatial_frame_type",
        Text,
        None,
        Exactly("meta.code.class;pos.frame"),
        true,
    ),
    col(
        "incidence_min",
        Double,
        Some("deg"),
        Exactly("pos.incidenceAng;stat.min"),
        false,
    ),
    col(
        "incidence_max",
        Double,
        Some("deg"),
        Exactly("pos.incidenceAng;stat.max"),
        false,
    ),
    col(
        "emergence_min",
        Double,
        Some("deg"),
        Exactly("pos.emergenceAng;stat.min"),
        false,
    ),
    col(
        "emergence_max",
        Double,
        Some("deg"),
        Exactly("pos.emergenceAng;stat.max"),
        false,
    ),
    col(
        "phase_min",
        Double,
        Some("deg"),
        Exactly("pos.phaseAng;stat.min"),
        false,
    ),
    col(
        "phase_max",
        Double,
        Some("deg"),
        Exactly("pos.phaseAng;stat.max"),
        false,
    ),
    col(
        "instrument_host_name",
        Text,
        None,
        Exactly("meta.id;instr.obsty"),
        false,
    ),
    col(
        "instrument_name",
        Text,
        None,
        Exactly("meta.id;instr"),
        false,
    ),
    col("measurement_type", Text, None, Exactly("meta.ucd"), false),
    col(
        "processing_level",
        Integer,
        None,
        Exactly("meta.calibLevel"),
        true,
    ),
    col(
        "creation_date",
        Timestamp,
        None,
        Exactly("time.creation"),
        true,
    ),
    col(
        "modification_date",
        Timestamp,
        None,
        Exactly("time.processing"),
        true,
    ),
    col(
        "release_date",
        Timestamp,
        None,
        Exactly("time.release"),
        true,
    ),
    col("service_title", Text, None, Exactly("meta.title"), true),
];
