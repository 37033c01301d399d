//! VOResource 1.1 records (with VODataService 1.2 and VORegistry 1.0 types): what a publishing
//! registry hands out for each resource, as `ri:Resource` (Registry Interfaces 1.1) or,
//! reduced, as Dublin Core for `oai_dc`.

use crate::capability::{Capability, TAPREGEXT_NS, VORESOURCE_NS};
use crate::tableset::{TableSet, VODATASERVICE_NS, XSI_NS};
use crate::xml::XmlWriter;

pub const RI_NS: &str = "http://www.ivoa.net/xml/RegistryInterface/v1.0";
pub const VOREGISTRY_NS: &str = "http://www.ivoa.net/xml/VORegistry/v1.0";
pub const OAI_DC_NS: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// One registry record.
#[derive(Debug, Clone)]
pub struct Resource {
    pub identifier: String,
    pub title: String,
    pub short_name: Option<String>,
    /// UTC timestamps, `YYYY-MM-DDThh:mm:ssZ` (VOResource 1.1 §2.2.3).
    pub created: String,
    pub updated: String,
    pub curation: Curation,
    pub content: Content,
    pub kind: ResourceKind,
}

/// Who is responsible for the resource (VOResource 1.1 §3.1.2).
#[derive(Debug, Clone, Default)]
pub struct Curation {
    pub publisher: String,
    /// The ivo-id of the publisher's organisation record, when it has one.
    pub publisher_id: Option<String>,
    pub creators: Vec<String>,
    /// (role, date): `updated` is derived from the data, `created` from the first publication.
    pub dates: Vec<(&'static str, String)>,
    pub contact_name: String,
    pub contact_email: Option<String>,
}

/// What the resource is about (VOResource 1.1 §3.1.3).
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub subjects: Vec<String>,
    pub description: String,
    pub reference_url: String,
    /// Terms of http://www.ivoa.net/rdf/voresource/content_type (e.g. `Catalog`).
    pub types: Vec<String>,
    /// Terms of http://www.ivoa.net/rdf/voresource/content_level (e.g. `Research`).
    pub levels: Vec<String>,
}

/// Coverage computed from the data (VODataService 1.2 §3.1).
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// The sky coverage as a MOC in ASCII serialisation (MOC 2.0 §4.3.2), ICRS.
    pub moc_ascii: Option<String>,
    /// Where the full-resolution MOC can be downloaded (the `footprint` service).
    pub footprint_url: Option<String>,
}

#[derive(Debug, Clone)]
pub enum ResourceKind {
    /// `vg:Authority`: the claim on an authority id (VORegistry 1.0 §2.3).
    Authority { managing_org: String },
    /// `vg:Registry`: this publishing registry (Registry Interfaces 1.1, VORegistry 1.0).
    Registry {
        capabilities: Vec<Capability>,
        managed_authorities: Vec<String>,
    },
    /// `vs:CatalogService` with a tableset, or `vs:DataService` without one.
    Service {
        capabilities: Vec<Capability>,
        coverage: Option<Coverage>,
        tableset: Option<TableSet>,
    },
}

impl Resource {
    fn xsi_type(&self) -> &'static str {
        match &self.kind {
            ResourceKind::Authority { .. } => "vg:Authority",
            ResourceKind::Registry { .. } => "vg:Registry",
            ResourceKind::Service {
                tableset: Some(_), ..
            } => "vs:CatalogService",
            ResourceKind::Service { .. } => "vs:DataService",
        }
    }

    /// Writes the record as `ri:Resource`, declaring every namespace it uses. `xmlns=""` undoes
    /// an enclosing default namespace (OAI-PMH's): VOResource children are unqualified.
    pub fn write(&self, w: &mut XmlWriter, status: &str) {
        w.start(
            "ri:Resource",
            &[
                ("xmlns", ""),
                ("xmlns:ri", RI_NS),
                ("xmlns:vr", VORESOURCE_NS),
                ("xmlns:vs", VODATASERVICE_NS),
                ("xmlns:vg", VOREGISTRY_NS),
                ("xmlns:tr", TAPREGEXT_NS),
                ("xmlns:xsi", XSI_NS),
                ("xsi:type", self.xsi_type()),
                ("created", &self.created),
                ("updated", &self.updated),
                ("status", status),
            ],
        );
        w.leaf("title", &[], &self.title);
        w.optional("shortName", self.short_name.as_deref());
        w.leaf("identifier", &[], &self.identifier);
        self.curation.write(w);
        self.content.write(w);
        match &self.kind {
            ResourceKind::Authority { managing_org } => {
                w.leaf("managingOrg", &[], managing_org);
            }
            ResourceKind::Registry {
                capabilities,
                managed_authorities,
            } => {
                for capability in capabilities {
                    capability.write(w, "capability");
                }
                w.leaf("full", &[], "false");
                for authority in managed_authorities {
                    w.leaf("managedAuthority", &[], authority);
                }
            }
            ResourceKind::Service {
                capabilities,
                coverage,
                tableset,
            } => {
                for capability in capabilities {
                    capability.write(w, "capability");
                }
                if let Some(coverage) = coverage {
                    coverage.write(w);
                }
                if let Some(tableset) = tableset {
                    w.start("tableset", &[]);
                    tableset.write_schemas(w, crate::Detail::Max);
                    w.end();
                }
            }
        }
        w.end();
    }

    /// A fingerprint of the record without its dates: it changes when what is described does.
    pub fn fingerprint(&self) -> u64 {
        let mut undated = self.clone();
        undated.created.clear();
        undated.updated.clear();
        undated.curation.dates.clear();
        let mut w = XmlWriter::new();
        undated.write(&mut w, "active");
        crate::fingerprint::fingerprint(w.finish().as_bytes())
    }

    /// The record reduced to unqualified Dublin Core (OAI-PMH 2.0 requires every repository to offer `oai_dc`).
    pub fn write_dublin_core(&self, w: &mut XmlWriter) {
        w.start(
            "oai_dc:dc",
            &[
                ("xmlns:oai_dc", OAI_DC_NS),
                ("xmlns:dc", DC_NS),
                ("xmlns:xsi", XSI_NS),
            ],
        );
        w.leaf("dc:title", &[], &self.title);
        for creator in &self.curation.creators {
            w.leaf("dc:creator", &[], creator);
        }
        for subject in &self.content.subjects {
            w.leaf("dc:subject", &[], subject);
        }
        w.leaf("dc:description", &[], &self.content.description);
        w.leaf("dc:publisher", &[], &self.curation.publisher);
        w.leaf("dc:date", &[], &self.updated);
        for kind in &self.content.types {
            w.leaf("dc:type", &[], kind);
        }
        w.leaf("dc:identifier", &[], &self.identifier);
        w.leaf("dc:identifier", &[], &self.content.reference_url);
        w.end();
    }
}

impl Curation {
    fn write(&self, w: &mut XmlWriter) {
        w.start("curation", &[]);
        let attributes: Vec<(&str, &str)> = self
            .publisher_id
            .as_deref()
            .map(|id| ("ivo-id", id))
            .into_iter()
            .collect();
        w.leaf("publisher", &attributes, &self.publisher);
        for creator in &self.creators {
            w.start("creator", &[]);
            w.leaf("name", &[], creator);
            w.end();
        }
        for (role, date) in &self.dates {
            w.leaf("date", &[("role", role)], date);
        }
        w.start("contact", &[]);
        w.leaf("name", &[], &self.contact_name);
        w.optional("email", self.contact_email.as_deref());
        w.end();
        w.end();
    }
}

impl Content {
    fn write(&self, w: &mut XmlWriter) {
        w.start("content", &[]);
        for subject in &self.subjects {
            w.leaf("subject", &[], subject);
        }
        w.leaf("description", &[], &self.description);
        w.leaf("referenceURL", &[], &self.reference_url);
        for kind in &self.types {
            w.leaf("type", &[], kind);
        }
        for level in &self.levels {
            w.leaf("contentLevel", &[], level);
        }
        w.end();
    }
}

impl Coverage {
    fn write(&self, w: &mut XmlWriter) {
        if self.moc_ascii.is_none() && self.footprint_url.is_none() {
            return;
        }
        w.start("coverage", &[]);
        // VODataService 1.2 §3.1.1: no frame attribute means ICRS.
        w.optional("spatial", self.moc_ascii.as_deref());
        if let Some(url) = &self.footprint_url {
            w.leaf("footprint", &[], url);
        }
        w.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authority() -> Resource {
        Resource {
            identifier: "ivo://example.org".to_owned(),
            title: "Example & co".to_owned(),
            short_name: None,
            created: "2026-01-01T00:00:00Z".to_owned(),
            updated: "2026-01-02T00:00:00Z".to_owned(),
            curation: Curation {
                publisher: "Example".to_owned(),
                contact_name: "Example".to_owned(),
                ..Curation::default()
            },
            content: Content {
                subjects: vec!["virtual-observatories".to_owned()],
                description: "d".to_owned(),
                reference_url: "http://example.org/".to_owned(),
                ..Content::default()
            },
            kind: ResourceKind::Authority {
                managing_org: "Example".to_owned(),
            },
        }
    }

    #[test]
    fn a_record_resets_the_default_namespace_and_keeps_the_schema_order() {
        let mut w = XmlWriter::new();
        authority().write(&mut w, "active");
        let doc = w.finish();
        assert!(doc.contains("xmlns=\"\""), "{doc}");
        assert!(doc.contains("xsi:type=\"vg:Authority\""), "{doc}");
        assert!(doc.contains("<title>Example &amp; co</title>"), "{doc}");
        let order = [
            "<title>",
            "<identifier>",
            "<curation>",
            "<content>",
            "<managingOrg>",
        ];
        let positions: Vec<usize> = order.iter().filter_map(|t| doc.find(t)).collect();
        assert_eq!(positions.len(), order.len(), "{doc}");
        assert!(positions.windows(2).all(|p| p[0] < p[1]), "{doc}");
    }

    #[test]
    fn a_service_with_tables_is_a_catalog_service() {
        let mut resource = authority();
        resource.kind = ResourceKind::Service {
            capabilities: Vec::new(),
            coverage: None,
            tableset: Some(TableSet::default()),
        };
        assert_eq!(resource.xsi_type(), "vs:CatalogService");
        resource.kind = ResourceKind::Service {
            capabilities: Vec::new(),
            coverage: None,
            tableset: None,
        };
        assert_eq!(resource.xsi_type(), "vs:DataService");
    }
}
