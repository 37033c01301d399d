//! The TOML configuration: server settings, the published catalogue, and the sections that the
//! OGC services and the registry read.
//!
//! Unknown keys and wrong types are errors: `toml`'s messages name the key, its line and column.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The demo configuration, compiled into the binary so that `vostok serve` needs no argument.
pub const DEMO_CONFIG: &str = include_str!("../data/demo/vostok.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {source}")]
    Parse {
        origin: String,
        source: Box<toml::de::Error>,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub server: ServerConfig,
    #[serde(default)]
    pub limits: Limits,
    /// ADQL schemas, each a set of tables.
    #[serde(default)]
    pub schemas: BTreeMap<String, SchemaConfig>,
    /// Limits of the TAP service (and of `vostok query`).
    #[serde(default)]
    pub tap: TapConfig,
    /// Limits of asynchronous (UWS) jobs.
    #[serde(default)]
    pub uws: uws::UwsLimits,
    #[serde(default)]
    pub ogc: OgcSection,
    #[serde(default)]
    pub registry: RegistryConfig,
    /// Limits of the Simple Cone Search services.
    #[serde(default)]
    pub scs: ScsConfig,
    /// The SIA 2.0 service over an ObsCore table.
    #[serde(default)]
    pub sia: SiaConfig,
    /// The files behind `access_url`s, served at /data/{id}.
    #[serde(default)]
    pub products: ProductsConfig,
    /// The folder relative paths are resolved against: the configuration file's folder.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// The `[ogc]` section: the raster keys of `ogc-maps` and the `[ogc.features]` of
/// `ogc-features`. Listed key by key rather than flattened, so that `toml` keeps rejecting an
/// unknown key with its line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OgcSection {
    /// Service-level metadata shown in capabilities documents.
    #[serde(default)]
    pub service: ogc_maps::config::ServiceMetadata,
    /// Raster layers, in the order they are listed in capabilities documents.
    #[serde(default)]
    pub raster: Vec<ogc_maps::config::RasterLayerConfig>,
    #[serde(default)]
    pub limits: ogc_maps::config::OgcLimits,
    /// Axis order of IAU geographic CRSs (IAU_2015:49900) in WMS 1.3.0 and WCS 2.0 requests.
    #[serde(default)]
    pub iau_geographic_axis_order: ogc_maps::config::AxisOrder,
    /// Feature collections and the limits of WFS and OGC API – Features.
    #[serde(default)]
    pub features: ogc_features::FeaturesConfig,
}

impl OgcSection {
    /// The raster half, as `ogc-maps` reads it.
    pub fn maps(&self) -> ogc_maps::MapsConfig {
        ogc_maps::MapsConfig {
            service: self.service.clone(),
            raster: self.raster.clone(),
            limits: self.limits.clone(),
            iau_geographic_axis_order: self.iau_geographic_axis_order,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// Address the HTTP server listens on.
    #[serde(default = "default_bind")]
    pub bind: SocketAddr,
    /// Public base URL written into every document; defaults to `http://{bind}`.
    pub base_url: Option<String>,
    /// Where jobs, results and caches live; relative to the configuration file.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Shown on the landing page and in service descriptions.
    #[serde(default = "default_title")]
    pub title: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: default_bind(),
            base_url: None,
            data_dir: default_data_dir(),
            title: default_title(),
        }
    }
}

fn default_bind() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("var")
}

fn default_title() -> String {
    "vostok".to_owned()
}

/// Limits that protect the server; each is advertised where a standard has a place for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Memory a single query may use before it spills to disk or fails, in MiB.
    #[serde(default = "default_query_memory_mib")]
    pub query_memory_mib: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            query_memory_mib: default_query_memory_mib(),
        }
    }
}

fn default_query_memory_mib() -> usize {
    1024
}

/// Limits of ADQL queries; TAPRegExt advertises them (TAP 1.1 §2.7.4, TAPRegExt §2.5).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TapConfig {
    /// Rows returned when the client gives no MAXREC.
    pub maxrec_default: u64,
    /// Rows returned at most, whatever MAXREC asks.
    pub maxrec_hard: u64,
    /// Seconds a synchronous query may run before it is stopped.
    pub sync_timeout_s: u64,
    /// Queries (synchronous and asynchronous) running at once; more wait or are refused.
    pub max_concurrent_queries: usize,
    /// Rows an uploaded table may have.
    pub upload_max_rows: u64,
    /// Bytes an uploaded table may have.
    pub upload_max_bytes: u64,
    /// Hosts that http(s) UPLOAD URLs may point at; none by default (request forgery).
    pub upload_url_hosts: Vec<String>,
    /// Example queries served at /tap/examples (DALI 1.1 §2.3).
    pub examples: Vec<TapExample>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TapExample {
    pub name: String,
    pub description: String,
    pub query: String,
}

impl Default for TapConfig {
    fn default() -> Self {
        Self {
            maxrec_default: 100_000,
            maxrec_hard: 50_000_000,
            sync_timeout_s: 600,
            max_concurrent_queries: 8,
            upload_max_rows: 1_000_000,
            upload_max_bytes: 64 << 20,
            upload_url_hosts: Vec::new(),
            examples: Vec::new(),
        }
    }
}

impl TapConfig {
    /// The rows a query returns for a client's MAXREC.
    pub fn maxrec(&self, requested: Option<u64>) -> u64 {
        requested
            .unwrap_or(self.maxrec_default)
            .min(self.maxrec_hard)
    }
}

/// Simple Cone Search 1.03: limits, advertised in each service's capabilities (`cs:ConeSearch`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScsConfig {
    /// Largest search radius accepted, in degrees (`maxSR`).
    pub max_sr: f64,
    /// Rows returned at most (`maxRecords`); MAXREC may ask for fewer.
    pub max_records: u64,
}

impl Default for ScsConfig {
    fn default() -> Self {
        Self {
            max_sr: 10.0,
            max_records: 100_000,
        }
    }
}

/// SIA 2.0 over an ObsCore table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiaConfig {
    /// The ObsCore table searched; SIA is off when it is not in the catalogue.
    pub table: String,
    /// Rows returned when the client gives no MAXREC.
    pub maxrec_default: u64,
    /// Rows returned at most.
    pub maxrec_hard: u64,
}

impl Default for SiaConfig {
    fn default() -> Self {
        Self {
            table: "ivoa.obscore".to_owned(),
            maxrec_default: 1000,
            maxrec_hard: 100_000,
        }
    }
}

/// Data products (the files `access_url` points at), served read-only at /data/{file name}.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductsConfig {
    /// The folder holding the files, relative to the configuration file; none: no /data.
    pub dir: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaConfig {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tables: BTreeMap<String, TableConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    /// A Parquet file or a directory of Parquet files, relative to the configuration file.
    pub path: String,
    #[serde(default)]
    pub description: Option<String>,
    /// The data model the table implements (TAP_SCHEMA.tables.utype), e.g.
    /// `ivo://ivoa.net/std/obscore#table-1.1`.
    #[serde(default)]
    pub utype: Option<String>,
    /// Which columns hold the sky (or body-fixed) position of each row.
    #[serde(default)]
    pub position: Option<PositionColumns>,
    /// Metadata per column, by column name; columns not listed are published with their
    /// Parquet name and type only.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionColumns {
    pub ra: String,
    pub dec: String,
}

/// Per-column metadata, as TAP_SCHEMA.columns and VOTable FIELDs describe it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnConfig {
    pub description: Option<String>,
    pub unit: Option<String>,
    pub ucd: Option<String>,
    pub utype: Option<String>,
    pub xtype: Option<String>,
    /// VOTable datatype of a string column: `unicodeChar` (the default: any text) or `char`
    /// (ASCII only, half the size in binary VOTables).
    pub datatype: Option<String>,
    #[serde(default)]
    pub principal: bool,
    #[serde(default)]
    pub indexed: bool,
    #[serde(default)]
    pub std: bool,
    /// The values are paths under the server's public URL (`/data/m13.fits`): queries return
    /// them prefixed with `server.base_url`, so that stored tables never hold a host name.
    #[serde(default)]
    pub base_url: bool,
}

/// The publishing registry (`/oai`) and the records it hands out: identity, curation and
/// content from here, coverage and dates from the data. Without `authority` there is none.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegistryConfig {
    /// The IVOA authority id, e.g. `ivo://example.org` (IVOA Identifiers 2.0 §2.2).
    pub authority: Option<String>,
    /// Put between the authority and each resource key: `ivo://example.org/{prefix}/tap`.
    pub prefix: Option<String>,
    /// The organisation publishing the resources.
    pub publisher: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    /// Who made the data and services (VOResource `creator`).
    pub creators: Vec<String>,
    /// Subject keywords, ideally terms of the Unified Astronomy Thesaurus.
    pub subjects: Vec<String>,
    /// What this data centre offers, for the registry record and the services' records.
    pub description: Option<String>,
    /// A human-readable page about the resources; defaults to the landing page.
    pub reference_url: Option<String>,
    /// The registry's title; defaults to "{server.title} registry".
    pub title: Option<String>,
    /// Records in one ListRecords/ListIdentifiers response before a resumption token.
    pub records_per_page: usize,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        Self {
            authority: None,
            prefix: None,
            publisher: None,
            contact_name: None,
            contact_email: None,
            creators: Vec::new(),
            subjects: Vec::new(),
            description: None,
            reference_url: None,
            title: None,
            records_per_page: 100,
        }
    }
}

impl Config {
    /// Reads and parses a configuration file; relative paths resolve against its folder.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let base_dir = path.parent().map(Path::to_owned).unwrap_or_default();
        Self::parse(&text, &path.display().to_string(), base_dir)
    }

    /// The embedded demo configuration, serving `data/demo` of the source tree.
    pub fn demo() -> Result<Self, ConfigError> {
        let base_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        Self::parse(DEMO_CONFIG, "embedded demo configuration", base_dir)
    }

    pub fn parse(text: &str, origin: &str, base_dir: PathBuf) -> Result<Self, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|source| ConfigError::Parse {
            origin: origin.to_owned(),
            source: Box::new(source),
        })?;
        config.base_dir = base_dir;
        config.validate(origin)?;
        Ok(config)
    }

    fn validate(&self, origin: &str) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        for (schema, schema_config) in &self.schemas {
            check_name(schema).map_err(|why| invalid(format!("schema `{schema}`: {why}")))?;
            for table in schema_config.tables.keys() {
                check_name(table)
                    .map_err(|why| invalid(format!("table `{schema}.{table}`: {why}")))?;
            }
        }
        if let Some(authority) = &self.registry.authority {
            check_authority(authority)
                .map_err(|why| invalid(format!("registry.authority `{authority}`: {why}")))?;
        }
        if let Some(url) = &self.server.base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid(format!(
                "server.base_url `{url}` must start with http:// or https://"
            )));
        }
        Ok(())
    }

    /// The URL that prefixes every link the server writes, without a trailing slash.
    pub fn base_url(&self) -> String {
        match &self.server.base_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.server.bind),
        }
    }

    /// Resolves a path from the configuration against the configuration file's folder.
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.base_dir.join(path)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.base_dir.join(&self.server.data_dir)
    }
}

/// An authority id: `ivo://` and a name of letters, digits and `-_.~` (IVOA Identifiers 2.0
/// §2.2), without a path: resources are named below it.
fn check_authority(authority: &str) -> Result<(), &'static str> {
    let name = authority
        .strip_prefix("ivo://")
        .ok_or("an authority id starts with ivo://")?;
    let valid = name.len() >= 3
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c));
    if valid {
        Ok(())
    } else {
        Err("an authority id is ivo:// and at least three letters, digits or -_.~, without a path")
    }
}

/// Schema and table names must be regular ADQL identifiers so that users can type them unquoted.
fn check_name(name: &str) -> Result<(), &'static str> {
    let mut chars = name.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if starts_with_letter && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err("names must start with a letter and hold only letters, digits and underscores")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, "test.toml", PathBuf::new())
    }

    #[test]
    fn a_misspelt_key_is_named_with_its_line() {
        let err = parse("[server]\ntitle = \"x\"\nbnid = \"127.0.0.1:1\"\n").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("bnid"), "{message}");
        assert!(message.contains("line 3"), "{message}");
    }

    #[test]
    fn a_wrong_type_is_named_with_its_line() {
        let err = parse("[limits]\n\nquery_memory_mib = \"lots\"\n").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("line 3"), "{message}");
        assert!(message.contains("invalid type"), "{message}");
    }

    #[test]
    fn an_unknown_column_attribute_is_refused() {
        let text = "[schemas.s.tables.t]\npath = \"t.parquet\"\n[schemas.s.tables.t.columns.ra]\nucd = \"pos.eq.ra\"\nunits = \"deg\"\n";
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains("units"), "{message}");
        assert!(message.contains("line 5"), "{message}");
    }

    #[test]
    fn tables_nest_under_schemas() {
        let text = "[schemas.demo]\ndescription = \"d\"\n[schemas.demo.tables.stars]\npath = \"s.parquet\"\nposition = { ra = \"ra\", dec = \"dec\" }\n[schemas.demo.tables.stars.columns.ra]\nunit = \"deg\"\nprincipal = true\n";
        let config = parse(text).unwrap();
        let table = &config.schemas["demo"].tables["stars"];
        assert_eq!(table.path, "s.parquet");
        assert_eq!(table.position.as_ref().unwrap().dec, "dec");
        assert!(table.columns["ra"].principal);
    }

    #[test]
    fn names_that_need_quoting_in_adql_are_refused() {
        let text = "[schemas.demo.tables.\"my table\"]\npath = \"s.parquet\"\n";
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains("my table"), "{message}");
    }

    #[test]
    fn the_base_url_defaults_to_the_bind_address() {
        let config = parse("[server]\nbind = \"127.0.0.1:9000\"\n").unwrap();
        assert_eq!(config.base_url(), "http://127.0.0.1:9000");
    }

    #[test]
    fn a_registry_authority_must_be_an_ivo_authority() {
        assert!(parse("[registry]\nauthority = \"ivo://example.org\"\n").is_ok());
        for bad in ["http://example.org", "ivo://example.org/tap", "ivo://x"] {
            let message = parse(&format!("[registry]\nauthority = \"{bad}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(message.contains(bad), "{message}");
        }
    }

    #[test]
    fn the_demo_configuration_parses() {
        let config = Config::demo().unwrap();
        assert!(!config.schemas.is_empty());
    }
}
