//! The OAI-PMH 2.0 publishing registry (Registry Interfaces 1.1, the harvesting interface): one function from the
//! request arguments to the response document. Errors are OAI-PMH `<error>` elements in an
//! otherwise normal response (OAI-PMH 2.0 §3.6), never HTTP errors.

mod request;
mod token;

use chrono::{DateTime, SecondsFormat, Utc};

pub use request::{ListArguments, ListSelection, Request};
pub use token::Token;

use crate::voresource::Resource;
use crate::xml::XmlWriter;

pub const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";
/// The one set Registry Interfaces 1.1 defines for harvesting: the records of the managed authorities.
pub const MANAGED_SET: &str = "ivo_managed";

/// The error codes of OAI-PMH 2.0 §3.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadArgument,
    BadResumptionToken,
    BadVerb,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadArgument => "badArgument",
            Self::BadResumptionToken => "badResumptionToken",
            Self::BadVerb => "badVerb",
            Self::CannotDisseminateFormat => "cannotDisseminateFormat",
            Self::IdDoesNotExist => "idDoesNotExist",
            Self::NoRecordsMatch => "noRecordsMatch",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OaiError {
    pub code: ErrorCode,
    pub message: String,
}

impl OaiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// The metadata formats every record is disseminated in (Registry Interfaces 1.1: ivo_vor; OAI-PMH 2.0: oai_dc, which every repository offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    IvoVor,
    OaiDc,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::IvoVor, Format::OaiDc];

    fn prefix(self) -> &'static str {
        match self {
            Self::IvoVor => "ivo_vor",
            Self::OaiDc => "oai_dc",
        }
    }

    fn schema(self) -> &'static str {
        match self {
            Self::IvoVor => "http://www.ivoa.net/xml/RegistryInterface/RegistryInterface-v1.0.xsd",
            Self::OaiDc => "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        }
    }

    fn namespace(self) -> &'static str {
        match self {
            Self::IvoVor => crate::voresource::RI_NS,
            Self::OaiDc => crate::voresource::OAI_DC_NS,
        }
    }

    fn from_prefix(prefix: &str) -> Result<Self, OaiError> {
        Self::ALL
            .into_iter()
            .find(|f| f.prefix() == prefix)
            .ok_or_else(|| {
                OaiError::new(
                    ErrorCode::CannotDisseminateFormat,
                    format!("records are offered as ivo_vor or oai_dc, not `{prefix}`"),
                )
            })
    }
}

/// One record: a resource being published, or the trace of one that no longer is.
#[derive(Debug, Clone)]
pub struct Record {
    pub identifier: String,
    pub datestamp: DateTime<Utc>,
    /// `None` for a deleted record (OAI-PMH 2.0 §2.5.1).
    pub resource: Option<Resource>,
}

/// What the registry publishes; built once at start-up.
#[derive(Debug, Clone)]
pub struct Repository {
    pub name: String,
    /// The OAI-PMH base URL (this registry's `/oai`).
    pub base_url: String,
    pub admin_emails: Vec<String>,
    /// The `vg:Registry` record that describes this registry, embedded in Identify.
    pub registry: Resource,
    /// Sorted by identifier, which fixes the paging order.
    pub records: Vec<Record>,
    /// Records per ListIdentifiers/ListRecords response before a resumption token.
    pub page_size: usize,
    /// Changes whenever the record list does; part of every resumption token.
    pub generation: u64,
}

impl Repository {
    pub fn new(
        name: String,
        base_url: String,
        admin_emails: Vec<String>,
        registry: Resource,
        mut records: Vec<Record>,
        page_size: usize,
    ) -> Self {
        records.sort_by(|a, b| a.identifier.cmp(&b.identifier));
        let mut fingerprint = crate::fingerprint::Fnv::default();
        for record in &records {
            fingerprint.write(record.identifier.as_bytes());
            fingerprint.write(&record.datestamp.timestamp().to_le_bytes());
        }
        Self {
            name,
            base_url,
            admin_emails,
            registry,
            records,
            page_size: page_size.max(1),
            generation: fingerprint.finish(),
        }
    }

    /// Answers one request, given as its decoded arguments in order.
    pub fn respond(&self, arguments: &[(String, String)], now: DateTime<Utc>) -> String {
        let mut w = XmlWriter::new();
        w.start(
            "OAI-PMH",
            &[
                ("xmlns", OAI_NS),
                ("xmlns:xsi", crate::tableset::XSI_NS),
                (
                    "xsi:schemaLocation",
                    "http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
                ),
            ],
        );
        w.leaf("responseDate", &[], &datestamp(now));
        let request = Request::parse(arguments);
        // §3.2: after badVerb or badArgument, the request element carries no attributes.
        let echo: Vec<(&str, &str)> = match &request {
            Err(_) => Vec::new(),
            Ok(_) => arguments
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        };
        w.leaf("request", &echo, &self.base_url);
        let result = request.and_then(|request| self.answer(&request, &mut w));
        if let Err(error) = result {
            w.leaf("error", &[("code", error.code.as_str())], &error.message);
        }
        w.finish()
    }

    /// Writes the verb's element, or returns the error before writing anything.
    fn answer(&self, request: &Request, w: &mut XmlWriter) -> Result<(), OaiError> {
        match request {
            Request::Identify => {
                self.identify(w);
                Ok(())
            }
            Request::ListMetadataFormats { identifier } => {
                if let Some(identifier) = identifier {
                    self.record(identifier)?;
                }
                w.start("ListMetadataFormats", &[]);
                for format in Format::ALL {
                    w.start("metadataFormat", &[]);
                    w.leaf("metadataPrefix", &[], format.prefix());
                    w.leaf("schema", &[], format.schema());
                    w.leaf("metadataNamespace", &[], format.namespace());
                    w.end();
                }
                w.end();
                Ok(())
            }
            Request::ListSets { resumption_token } => {
                if let Some(token) = resumption_token {
                    // The set list is never split, so no token was ever issued for it.
                    return Err(OaiError::new(
                        ErrorCode::BadResumptionToken,
                        format!("`{token}` was not issued by this repository"),
                    ));
                }
                w.start("ListSets", &[]);
                w.start("set", &[]);
                w.leaf("setSpec", &[], MANAGED_SET);
                w.leaf(
                    "setName",
                    &[],
                    "Resources of the authorities this registry manages",
                );
                w.end();
                w.end();
                Ok(())
            }
            Request::GetRecord {
                identifier,
                metadata_prefix,
            } => {
                let format = Format::from_prefix(metadata_prefix)?;
                let record = self.record(identifier)?;
                w.start("GetRecord", &[]);
                write_record(w, record, Some(format));
                w.end();
                Ok(())
            }
            Request::List { records, selection } => self.list(*records, selection, w),
        }
    }

    fn identify(&self, w: &mut XmlWriter) {
        w.start("Identify", &[]);
        w.leaf("repositoryName", &[], &self.name);
        w.leaf("baseURL", &[], &self.base_url);
        w.leaf("protocolVersion", &[], "2.0");
        for email in &self.admin_emails {
            w.leaf("adminEmail", &[], email);
        }
        let earliest = self.records.iter().map(|r| r.datestamp).min();
        let earliest = earliest.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        w.leaf("earliestDatestamp", &[], &datestamp(earliest));
        // Deleted records are remembered under the data directory for good.
        w.leaf("deletedRecord", &[], "persistent");
        w.leaf("granularity", &[], "YYYY-MM-DDThh:mm:ssZ");
        // Registry Interfaces 1.1: Identify carries the registry's own record.
        w.start("description", &[]);
        self.registry.write(w, "active");
        w.end();
        w.end();
    }

    fn record(&self, identifier: &str) -> Result<&Record, OaiError> {
        self.records
            .iter()
            .find(|r| r.identifier == identifier)
            .ok_or_else(|| {
                OaiError::new(
                    ErrorCode::IdDoesNotExist,
                    format!("no record has the identifier `{identifier}`"),
                )
            })
    }

    fn list(
        &self,
        with_metadata: bool,
        selection: &ListSelection,
        w: &mut XmlWriter,
    ) -> Result<(), OaiError> {
        let (arguments, offset, resumed) = match selection {
            ListSelection::Arguments(arguments) => (arguments.clone(), 0, false),
            ListSelection::Resume(token) => {
                let decoded = Token::decode(token)
                    .filter(|t| t.generation == self.generation)
                    .ok_or_else(|| {
                        OaiError::new(
                            ErrorCode::BadResumptionToken,
                            format!(
                                "`{token}` is not a current resumption token of this repository"
                            ),
                        )
                    })?;
                (decoded.arguments, decoded.offset, true)
            }
        };
        let format = Format::from_prefix(&arguments.metadata_prefix)?;
        let matching: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| arguments.from.is_none_or(|from| r.datestamp >= from))
            .filter(|r| arguments.until.is_none_or(|until| r.datestamp <= until))
            .filter(|_| {
                arguments
                    .set
                    .as_deref()
                    .is_none_or(|set| set == MANAGED_SET)
            })
            .collect();
        if matching.is_empty() {
            return Err(OaiError::new(
                ErrorCode::NoRecordsMatch,
                "no record matches these arguments",
            ));
        }
        if offset >= matching.len() || (resumed && offset == 0) {
            return Err(OaiError::new(
                ErrorCode::BadResumptionToken,
                "the resumption token points past the list",
            ));
        }
        let end = (offset + self.page_size).min(matching.len());
        w.start(
            if with_metadata {
                "ListRecords"
            } else {
                "ListIdentifiers"
            },
            &[],
        );
        for record in &matching[offset..end] {
            if with_metadata {
                write_record(w, record, Some(format));
            } else {
                write_header(w, record);
            }
        }
        // §3.5: every page of a split list has a resumptionToken element; the last one's is empty.
        if resumed || end < matching.len() {
            let size = matching.len().to_string();
            let cursor = offset.to_string();
            let attributes = [
                ("completeListSize", size.as_str()),
                ("cursor", cursor.as_str()),
            ];
            if end < matching.len() {
                let next = Token {
                    arguments,
                    offset: end,
                    generation: self.generation,
                };
                w.leaf("resumptionToken", &attributes, &next.encode());
            } else {
                w.empty("resumptionToken", &attributes);
            }
        }
        w.end();
        Ok(())
    }
}

fn write_header(w: &mut XmlWriter, record: &Record) {
    let attributes: &[(&str, &str)] = if record.resource.is_none() {
        &[("status", "deleted")]
    } else {
        &[]
    };
    w.start("header", attributes);
    w.leaf("identifier", &[], &record.identifier);
    w.leaf("datestamp", &[], &datestamp(record.datestamp));
    w.leaf("setSpec", &[], MANAGED_SET);
    w.end();
}

fn write_record(w: &mut XmlWriter, record: &Record, format: Option<Format>) {
    w.start("record", &[]);
    write_header(w, record);
    if let (Some(resource), Some(format)) = (&record.resource, format) {
        w.start("metadata", &[]);
        match format {
            Format::IvoVor => resource.write(w, "active"),
            Format::OaiDc => resource.write_dublin_core(w),
        }
        w.end();
    }
    w.end();
}

/// A UTCdatetime at the granularity this repository declares (OAI-PMH 2.0 §3.3).
pub fn datestamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voresource::{Content, Curation, ResourceKind};

    fn resource(identifier: &str) -> Resource {
        Resource {
            identifier: identifier.to_owned(),
            title: identifier.to_owned(),
            short_name: None,
            created: "2026-01-01T00:00:00Z".to_owned(),
            updated: "2026-01-01T00:00:00Z".to_owned(),
            curation: Curation {
                publisher: "p".to_owned(),
                contact_name: "c".to_owned(),
                ..Curation::default()
            },
            content: Content {
                subjects: vec!["s".to_owned()],
                description: "d".to_owned(),
                reference_url: "http://example.org/".to_owned(),
                ..Content::default()
            },
            kind: ResourceKind::Authority {
                managing_org: "o".to_owned(),
            },
        }
    }

    fn repository(count: usize, deleted: &[usize]) -> Repository {
        let records = (0..count)
            .map(|i| Record {
                identifier: format!("ivo://a/r{i:02}"),
                datestamp: DateTime::from_timestamp(1_000_000 + i as i64 * 86_400, 0).unwrap(),
                resource: (!deleted.contains(&i)).then(|| resource(&format!("ivo://a/r{i:02}"))),
            })
            .collect();
        Repository::new(
            "r".to_owned(),
            "http://example.org/oai".to_owned(),
            vec!["a@example.org".to_owned()],
            resource("ivo://a/registry"),
            records,
            3,
        )
    }

    fn ask(repository: &Repository, query: &str) -> String {
        let arguments: Vec<(String, String)> = query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        repository.respond(&arguments, DateTime::UNIX_EPOCH)
    }

    fn token(doc: &str) -> Option<String> {
        let start = doc.find("<resumptionToken")?;
        let (tag, rest) = doc[start..].split_once('>')?;
        if tag.ends_with('/') {
            return None;
        }
        rest.split('<').next().map(str::to_owned)
    }

    #[test]
    fn pages_follow_tokens_to_an_empty_last_token_with_deleted_headers_and_no_metadata() {
        let repository = repository(8, &[4]);
        let mut doc = ask(&repository, "verb=ListRecords&metadataPrefix=ivo_vor");
        let mut seen = doc.matches("<header").count();
        assert!(doc.contains("cursor=\"0\""), "{doc}");
        while let Some(next) = token(&doc) {
            doc = ask(
                &repository,
                &format!("verb=ListRecords&resumptionToken={next}"),
            );
            seen += doc.matches("<header").count();
        }
        assert_eq!(seen, 8);
        assert!(
            doc.contains("<resumptionToken completeListSize=\"8\" cursor=\"6\"/>"),
            "{doc}"
        );
        let deleted = ask(
            &repository,
            "verb=GetRecord&metadataPrefix=oai_dc&identifier=ivo://a/r04",
        );
        assert!(deleted.contains("<header status=\"deleted\">"), "{deleted}");
        assert!(!deleted.contains("<metadata>"), "{deleted}");
    }

    #[test]
    fn dates_select_records_inclusively() {
        let repository = repository(8, &[]);
        // Record i is dated 1970-01-12T13:46:40Z plus i days.
        let doc = ask(
            &repository,
            "verb=ListIdentifiers&metadataPrefix=ivo_vor&from=1970-01-13&until=1970-01-14",
        );
        assert_eq!(doc.matches("<header>").count(), 2, "{doc}");
        assert!(
            doc.contains("ivo://a/r01") && doc.contains("ivo://a/r02"),
            "{doc}"
        );
        let doc = ask(
            &repository,
            "verb=ListIdentifiers&metadataPrefix=ivo_vor&from=1970-01-12T13:46:40Z&until=1970-01-12T13:46:40Z",
        );
        assert_eq!(doc.matches("<header>").count(), 1, "{doc}");
    }

    #[test]
    fn a_token_of_another_record_list_or_past_the_end_is_refused() {
        let old = repository(8, &[]);
        let first = ask(&old, "verb=ListIdentifiers&metadataPrefix=ivo_vor");
        let stale = token(&first).unwrap();
        let new = repository(9, &[]);
        let doc = ask(
            &new,
            &format!("verb=ListIdentifiers&resumptionToken={stale}"),
        );
        assert!(doc.contains("code=\"badResumptionToken\""), "{doc}");
        let past = Token {
            arguments: ListArguments {
                metadata_prefix: "ivo_vor".to_owned(),
                from: None,
                until: None,
                set: None,
            },
            offset: 99,
            generation: old.generation,
        };
        let doc = ask(
            &old,
            &format!("verb=ListIdentifiers&resumptionToken={}", past.encode()),
        );
        assert!(doc.contains("code=\"badResumptionToken\""), "{doc}");
    }
}
