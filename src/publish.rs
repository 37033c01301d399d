//! The registry records of this server, made from the service declaration, the catalogue and
//! the `[registry]` configuration: a `vg:Authority`, a `vg:Registry`, one record per registered
//! service and one `vs:CatalogService` per table collection (schema). Dates come from the data
//! files and from the ledger of what was published before, kept under the data directory.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;
use chrono::{DateTime, Utc};
use registry::ledger::{Current, Ledger};
use registry::oai_pmh::{Record, Repository, datestamp};
use registry::{
    Capability, Content, Coverage, Curation, Interface, Resource, ResourceKind, TableSet,
};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::coverage::{Coverages, RECORD_MOC_DEPTH};
use crate::services::Service;

/// A record before the ledger dates it.
struct Draft {
    resource: Resource,
    data_modified: Option<DateTime<Utc>>,
}

/// Builds the repository, updating the ledger on disk. `None` without `[registry] authority`.
pub fn repository(
    config: &Config,
    base_url: &str,
    services: &[Service],
    catalog: &Catalog,
    coverages: &Coverages,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Repository>> {
    let Some(authority) = config.registry.authority.clone() else {
        return Ok(None);
    };
    let ids = Identifiers {
        authority: authority.clone(),
        prefix: config.registry.prefix.clone(),
    };
    let base = Base::new(config, base_url);
    let mut drafts = vec![Draft {
        resource: base.resource(
            authority.clone(),
            format!("{} naming authority", base.curation.publisher),
            format!(
                "The authority for the identifiers of {}.",
                base.curation.publisher
            ),
            ResourceKind::Authority {
                managing_org: base.curation.publisher.clone(),
            },
        ),
        data_modified: None,
    }];
    let mut registry_id = None;
    for service in services.iter().filter(|s| s.is_registered()) {
        let identifier = ids.resource(&service.key);
        let title = format!("{} {}", config.server.title, service.name);
        let description = format!("{}. {}", service.description, base.description);
        let kind = if service.key == "registry" {
            registry_id = Some(identifier.clone());
            ResourceKind::Registry {
                capabilities: service.capabilities.clone(),
                managed_authorities: vec![authority.trim_start_matches("ivo://").to_owned()],
            }
        } else {
            let tables: Vec<String> = table_names(service.tables.as_ref());
            ResourceKind::Service {
                capabilities: service.capabilities.clone(),
                coverage: coverage(coverages, &tables, None),
                tableset: service.tables.clone(),
            }
        };
        let data_modified = service
            .tables
            .as_ref()
            .and_then(|t| newest_file(catalog, &table_names(Some(t))));
        let mut resource = base.resource(identifier, title, description, kind);
        if service.tables.is_some() {
            resource.content.types = vec!["Catalog".to_owned()];
        }
        drafts.push(Draft {
            resource,
            data_modified,
        });
    }
    let tap = services.iter().find(|s| s.key == "tap");
    for schema in tap
        .and_then(|s| s.tables.as_ref())
        .map_or(&[][..], |t| &t.schemas[..])
    {
        if schema.name.eq_ignore_ascii_case("TAP_SCHEMA") {
            continue;
        }
        let mut key = schema.name.clone();
        if services.iter().any(|s| s.key == key) {
            key.push_str("-tables");
        }
        let tables = TableSet {
            schemas: vec![schema.clone()],
        };
        let names = table_names(Some(&tables));
        let footprint = format!("{base_url}/moc/{}.fits", schema.name);
        let description = schema
            .description
            .clone()
            .unwrap_or_else(|| format!("The tables of schema {}", schema.name));
        let mut resource = base.resource(
            ids.resource(&key),
            format!("{}: {}", config.server.title, description),
            format!("{description}. Queried through TAP at {base_url}/tap."),
            ResourceKind::Service {
                capabilities: vec![tap_aux(base_url)],
                coverage: coverage(coverages, &names, Some(footprint)),
                tableset: Some(tables),
            },
        );
        resource.content.types = vec!["Catalog".to_owned()];
        drafts.push(Draft {
            data_modified: newest_file(catalog, &names),
            resource,
        });
    }
    let registry_id = registry_id.context("the registry is enabled but not declared")?;
    let records = dated_records(&config.data_dir(), drafts, now)?;
    let registry = records
        .iter()
        .find(|r| r.identifier == registry_id)
        .and_then(|r| r.resource.clone())
        .context("the registry record is missing")?;
    let name = config
        .registry
        .title
        .clone()
        .unwrap_or_else(|| format!("{} registry", config.server.title));
    let admin = base.curation.contact_email.clone().into_iter().collect();
    Ok(Some(Repository::new(
        name,
        format!("{base_url}/oai"),
        admin,
        registry,
        records,
        config.registry.records_per_page,
    )))
}

/// Resource identifiers below the authority (IVOA Identifiers 2.0 §2.3).
struct Identifiers {
    authority: String,
    prefix: Option<String>,
}

impl Identifiers {
    fn resource(&self, key: &str) -> String {
        match &self.prefix {
            Some(prefix) => format!("{}/{}/{key}", self.authority, prefix.trim_matches('/')),
            None => format!("{}/{key}", self.authority),
        }
    }
}

/// What every record shares: curation and content from the configuration.
struct Base {
    curation: Curation,
    content: Content,
    description: String,
}

impl Base {
    fn new(config: &Config, base_url: &str) -> Self {
        let r = &config.registry;
        let publisher = r
            .publisher
            .clone()
            .unwrap_or_else(|| config.server.title.clone());
        let subjects = if r.subjects.is_empty() {
            // VOResource requires at least one subject.
            vec!["Astronomical databases".to_owned()]
        } else {
            r.subjects.clone()
        };
        let description = r
            .description
            .clone()
            .unwrap_or_else(|| format!("Data published by {publisher} with vostok"));
        Self {
            curation: Curation {
                contact_name: r.contact_name.clone().unwrap_or_else(|| publisher.clone()),
                contact_email: r.contact_email.clone(),
                creators: r.creators.clone(),
                publisher,
                publisher_id: None,
                dates: Vec::new(),
            },
            content: Content {
                subjects,
                description: description.clone(),
                reference_url: r
                    .reference_url
                    .clone()
                    .unwrap_or_else(|| format!("{base_url}/")),
                types: Vec::new(),
                levels: vec!["Research".to_owned()],
            },
            description,
        }
    }

    fn resource(
        &self,
        identifier: String,
        title: String,
        description: String,
        kind: ResourceKind,
    ) -> Resource {
        Resource {
            identifier,
            title,
            short_name: None,
            created: String::new(),
            updated: String::new(),
            curation: self.curation.clone(),
            content: Content {
                description,
                ..self.content.clone()
            },
            kind,
        }
    }
}

/// TAP as the way to the tables of a collection (the `#aux` capability of the IVOA note
/// "Discovering Data Collections", which RegTAP clients follow from a table record to TAP).
fn tap_aux(base_url: &str) -> Capability {
    Capability {
        standard_id: "ivo://ivoa.net/std/TAP#aux".to_owned(),
        interfaces: vec![Interface {
            access_url: format!("{base_url}{}", crate::tap::PATH),
            url_use: "base",
            standard: true,
            version: Some("1.1".to_owned()),
        }],
        extension: registry::Extension::None,
    }
}

fn table_names(tables: Option<&TableSet>) -> Vec<String> {
    tables
        .map(|t| {
            t.schemas
                .iter()
                .flat_map(|s| s.tables.iter().map(|t| t.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn coverage(
    coverages: &Coverages,
    tables: &[String],
    footprint: Option<String>,
) -> Option<Coverage> {
    let moc = coverages.union(tables.iter().map(String::as_str))?;
    let moc_ascii = match crate::coverage::ascii(&moc.degraded(RECORD_MOC_DEPTH)) {
        Ok(text) => Some(text),
        Err(e) => {
            tracing::warn!("cannot write the coverage MOC of {tables:?}: {e}");
            None
        }
    };
    Some(Coverage {
        moc_ascii,
        footprint_url: footprint,
    })
}

/// The newest modification time of the files of some tables.
fn newest_file(catalog: &Catalog, tables: &[String]) -> Option<DateTime<Utc>> {
    catalog
        .tables()
        .filter(|t| tables.contains(&t.qualified_name()))
        .flat_map(|t| t.files.iter())
        .filter_map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
        .max()
        .map(|t: SystemTime| DateTime::<Utc>::from(t))
}

/// Dates each draft from the ledger (updating it on disk) and adds the deleted records.
fn dated_records(
    data_dir: &Path,
    drafts: Vec<Draft>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<Record>> {
    let path = ledger_path(data_dir);
    let mut ledger = match std::fs::read_to_string(&path) {
        Ok(text) => Ledger::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ledger::default(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let current: Vec<Current> = drafts
        .iter()
        .map(|d| Current {
            identifier: d.resource.identifier.clone(),
            fingerprint: d.resource.fingerprint(),
            data_modified: d.data_modified,
        })
        .collect();
    ledger.publish(&current, now);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // Written to a temporary file and renamed, so a crash never leaves half a ledger.
    let temporary = path.with_extension("tsv.tmp");
    std::fs::write(&temporary, ledger.to_text())
        .and_then(|()| std::fs::rename(&temporary, &path))
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut records = Vec::new();
    for (identifier, entry) in &ledger.entries {
        let resource = drafts
            .iter()
            .find(|d| &d.resource.identifier == identifier)
            .filter(|_| entry.deleted.is_none())
            .map(|d| {
                let mut resource = d.resource.clone();
                resource.created = datestamp(entry.created);
                resource.updated = datestamp(entry.updated);
                resource.curation.dates = vec![("Updated", datestamp(entry.updated))];
                resource
            });
        records.push(Record {
            identifier: identifier.clone(),
            datestamp: entry.updated,
            resource,
        });
    }
    Ok(records)
}

/// Where the ledger of published records lives.
pub fn ledger_path(data_dir: &Path) -> PathBuf {
    data_dir.join("registry").join("published.tsv")
}
