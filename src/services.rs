//! The one declaration of every enabled service. From this list come the router, the landing
//! page and start-up log, each service's VOSI capabilities (TAP's with TAPRegExt) and the
//! registry's records: adding a service means adding one entry here (its kind's routes, its
//! capabilities, its tables).

use registry::{Capability, Extension, Interface, TableSet};

/// What a service mounts on the router (`crate::routes` maps each kind to its paths); several
/// services may share a kind's routes (the four raster services share one set of handlers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Landing,
    Health,
    Tap,
    Raster,
    Features,
    Registry,
    Coverage,
    ConeSearch,
    Sia,
    /// The files behind ObsCore `access_url`s.
    Products,
}

/// One enabled service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Stable and unique: the last part of the service's registry identifier and of its VOSI
    /// capabilities URL (`/vosi/{key}/capabilities`, except TAP's own `/tap/capabilities`).
    pub key: String,
    pub name: String,
    /// The link the landing page and log give, relative to the base URL.
    pub path: String,
    pub description: String,
    pub kind: Kind,
    /// What the VOSI capabilities document and the registry record declare; empty for pages
    /// that are no VO or OGC service (the landing page, health, the MOC files).
    pub capabilities: Vec<Capability>,
    /// The tables behind the service, for its registry record.
    pub tables: Option<TableSet>,
}

impl Service {
    /// Published in the registry and with a VOSI capabilities document.
    pub fn is_registered(&self) -> bool {
        !self.capabilities.is_empty()
    }
}

/// Where the VOSI capabilities of a service other than TAP are served.
pub fn vosi_capabilities_path(key: &str) -> String {
    format!("/vosi/{key}/capabilities")
}

/// The parts of the server the declaration reads.
pub struct Parts<'a> {
    pub base_url: &'a str,
    pub catalog: &'a crate::catalog::Catalog,
    pub config: &'a crate::config::Config,
    pub tap: &'a crate::tap::Tap,
    pub tables: TableSet,
    pub ogc: &'a ogc_maps::RasterServices,
    pub features: &'a crate::features::Features,
    /// The qualified names of the tables behind the feature collections.
    pub feature_tables: Vec<String>,
    /// The OAI-PMH page size when the registry is enabled.
    pub registry_page_size: Option<usize>,
}

/// Every enabled service, in the order the landing page lists them.
pub fn declare(parts: &Parts) -> Vec<Service> {
    let b = parts.base_url;
    let page = |key: &str, name: &str, path: &str, description: &str, kind| Service {
        key: key.to_owned(),
        name: name.to_owned(),
        path: path.to_owned(),
        description: description.to_owned(),
        kind,
        capabilities: Vec::new(),
        tables: None,
    };
    let mut services = vec![
        page(
            "landing",
            "Landing page",
            "/",
            "This page: tables and services",
            Kind::Landing,
        ),
        Service {
            capabilities: parts.tap.capabilities(),
            tables: Some(parts.tables.clone()),
            ..page(
                "tap",
                "TAP 1.1 (ADQL 2.1)",
                crate::tap::PATH,
                "Table Access Protocol: /sync, /async, /tables, /capabilities, /examples",
                Kind::Tap,
            )
        },
        page(
            "health",
            "Health",
            "/health",
            "Liveness for load balancers",
            Kind::Health,
        ),
    ];
    for table in crate::scs::ConeTable::all(parts.catalog) {
        let name = table.table.qualified_name();
        // One URL segment: the key names `/vosi/{key}/capabilities`.
        services.push(Service {
            capabilities: crate::scs::capability_list(b, &parts.config.scs, &table),
            tables: subset(&parts.tables, std::slice::from_ref(&name)),
            ..page(
                &format!("scs-{name}"),
                &format!("Cone search {name}"),
                &format!("{}/{name}?RA=83.82&DEC=-5.39&SR=0.5", crate::scs::PATH),
                "Simple Cone Search 1.03 over this table",
                Kind::ConeSearch,
            )
        });
    }
    let obscore = &parts.config.sia.table;
    if let Some((schema, table)) = obscore.split_once('.')
        && parts.catalog.table(schema, table).is_some()
    {
        services.push(Service {
            capabilities: crate::sia::capability_list(b),
            tables: subset(&parts.tables, std::slice::from_ref(obscore)),
            ..page(
                "sia",
                "SIA 2.0",
                &format!("{}/query?POS=CIRCLE+250.4+36.5+1", crate::sia::PATH),
                "Image search over ObsCore (POS, BAND, TIME, …)",
                Kind::Sia,
            )
        });
        services.push(page(
            "data",
            "Data products",
            crate::products::PATH,
            "The files behind ObsCore access_url",
            Kind::Products,
        ));
    }
    for endpoint in parts.ogc.endpoints() {
        let service_url = endpoint.url.split('?').next().unwrap_or(&endpoint.url);
        let path = endpoint.url.strip_prefix(b).unwrap_or(&endpoint.url);
        let (key, description) = match endpoint.protocol {
            "WMS" => ("wms", "Maps through WMS 1.3.0 and 1.1.1"),
            "WMTS" => ("wmts", "Map tiles through WMTS 1.0.0 (KVP and REST)"),
            "WCS" => ("wcs", "Raster data through WCS 2.0.1 and 1.0.0"),
            // Web-mercator tiles follow no OGC or IVOA standard: listed, not registered.
            _ => {
                services.push(page(
                    "tiles",
                    "XYZ tiles",
                    path,
                    "Web-mercator PNG tiles",
                    Kind::Raster,
                ));
                continue;
            }
        };
        services.push(Service {
            capabilities: ogc_capabilities(b, key, service_url, endpoint.versions),
            ..page(key, endpoint.protocol, path, description, Kind::Raster)
        });
    }
    if !parts.features.is_empty() {
        for (key, name, path, base, versions, description) in [
            (
                "wfs",
                "WFS",
                "/wfs?SERVICE=WFS&REQUEST=GetCapabilities",
                "/wfs",
                &["2.0.0", "1.1.0"][..],
                "Feature collections through WFS 2.0.0 and 1.1.0",
            ),
            (
                "ogcapi",
                "OGC API – Features",
                "/ogcapi",
                "/ogcapi",
                &["1.0"][..],
                "Feature collections through OGC API – Features (Parts 1 and 2)",
            ),
        ] {
            services.push(Service {
                capabilities: ogc_capabilities(b, key, &format!("{b}{base}"), versions),
                tables: subset(&parts.tables, &parts.feature_tables),
                ..page(key, name, path, description, Kind::Features)
            });
        }
    }
    if let Some(page_size) = parts.registry_page_size {
        let key = "registry";
        services.push(Service {
            capabilities: vec![
                Capability {
                    standard_id: "ivo://ivoa.net/std/Registry".to_owned(),
                    interfaces: vec![Interface {
                        access_url: format!("{b}/oai"),
                        url_use: "base",
                        standard: true,
                        version: Some("1.0".to_owned()),
                    }],
                    extension: Extension::Harvest {
                        max_records: page_size,
                    },
                },
                vosi_capabilities(b, key),
            ],
            ..page(
                key,
                "OAI-PMH registry",
                "/oai?verb=Identify",
                "The publishing registry (OAI-PMH 2.0): records of every service and table collection",
                Kind::Registry,
            )
        });
    }
    services.push(page(
        "moc",
        "Coverage MOCs",
        "/moc",
        "Sky coverage of each catalogue (MOC 2.0: FITS, JSON, ASCII)",
        Kind::Coverage,
    ));
    services
}

/// The schemas and tables of `tables` named in `names`; `None` when there are none.
fn subset(tables: &TableSet, names: &[String]) -> Option<TableSet> {
    let schemas = tables
        .schemas
        .iter()
        .map(|schema| registry::SchemaDesc {
            tables: schema
                .tables
                .iter()
                .filter(|t| names.iter().any(|n| n.eq_ignore_ascii_case(&t.name)))
                .cloned()
                .collect(),
            ..schema.clone()
        })
        .filter(|schema: &registry::SchemaDesc| !schema.tables.is_empty())
        .collect::<Vec<_>>();
    (!schemas.is_empty()).then_some(TableSet { schemas })
}

/// An OGC service as VOResource sees it: no IVOA standard, so no standardID; one interface per
/// protocol version, each at the service's KVP base URL.
fn ogc_capabilities(
    base_url: &str,
    key: &str,
    service_url: &str,
    versions: &[&str],
) -> Vec<Capability> {
    let interfaces = versions
        .iter()
        .map(|version| Interface {
            access_url: service_url.to_owned(),
            url_use: "base",
            standard: false,
            version: Some((*version).to_owned()),
        })
        .collect();
    let capability = Capability {
        standard_id: String::new(),
        interfaces,
        extension: Extension::None,
    };
    vec![capability, vosi_capabilities(base_url, key)]
}

fn vosi_capabilities(base_url: &str, key: &str) -> Capability {
    Capability::plain(
        "ivo://ivoa.net/std/VOSI#capabilities",
        format!("{base_url}{}", vosi_capabilities_path(key)),
    )
}
