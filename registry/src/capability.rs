//! Service capabilities, declared once and written both as the VOSI capabilities document
//! (VOSI 1.1 §3.2) and inside registry records (VOResource 1.1 §2.3).

use crate::xml::XmlWriter;

pub const VOSI_CAPABILITIES_NS: &str = "http://www.ivoa.net/xml/VOSICapabilities/v1.0";
pub const VORESOURCE_NS: &str = "http://www.ivoa.net/xml/VOResource/v1.0";
pub const TAPREGEXT_NS: &str = "http://www.ivoa.net/xml/TAPRegExt/v1.0";

/// One capability: a standard the service implements, where, and with which limits.
#[derive(Debug, Clone)]
pub struct Capability {
    pub standard_id: String,
    pub interfaces: Vec<Interface>,
    pub extension: Extension,
}

/// An access point of a capability (a `vs:ParamHTTP` interface).
#[derive(Debug, Clone)]
pub struct Interface {
    pub access_url: String,
    /// `base` when the URL takes further path segments or parameters, `full` otherwise.
    pub url_use: &'static str,
    /// `role="std"` marks the interface the standard defines.
    pub standard: bool,
    pub version: Option<String>,
}

/// What a capability's `xsi:type` adds to the plain VOResource capability.
#[derive(Debug, Clone)]
pub enum Extension {
    None,
    Tap(Box<TapCapability>),
    ConeSearch(Box<crate::dal::ConeSearchCapability>),
    /// VORegistry 1.0 `vg:Harvest`: an OAI-PMH interface (`vg:OAIHTTP`, the harvesting interface
    /// of Registry Interfaces 1.1) and the most records one response holds before a resumption
    /// token.
    Harvest {
        max_records: usize,
    },
}

/// TAPRegExt 1.0 `tr:TableAccess`.
#[derive(Debug, Clone, Default)]
pub struct TapCapability {
    /// (name, ivo-id) of the data models the service's tables implement (`dataModel`).
    pub data_models: Vec<(String, String)>,
    pub languages: Vec<Language>,
    pub output_formats: Vec<OutputFormat>,
    /// ivo-ids of the supported upload methods.
    pub upload_methods: Vec<String>,
    /// Seconds.
    pub retention_period: Option<Limits>,
    /// Seconds.
    pub execution_duration: Option<Limits>,
    /// Rows.
    pub output_limit: Option<Limits>,
    /// (limits, unit: `row` or `byte`)
    pub upload_limit: Option<(Limits, &'static str)>,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub default: Option<u64>,
    pub hard: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Language {
    pub name: String,
    /// (version, ivo-id)
    pub versions: Vec<(String, String)>,
    pub description: Option<String>,
    pub features: Vec<FeatureList>,
}

/// Language features of one type (e.g. `ivo://ivoa.net/std/TAPRegExt#features-adqlgeo`).
#[derive(Debug, Clone)]
pub struct FeatureList {
    pub type_id: String,
    /// (form, description)
    pub features: Vec<(String, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct OutputFormat {
    pub mime: String,
    pub aliases: Vec<String>,
    pub ivo_id: Option<String>,
}

impl Capability {
    /// A VOSI endpoint (capabilities, availability, tables) or another plain capability.
    pub fn plain(standard_id: &str, access_url: String) -> Self {
        Self {
            standard_id: standard_id.to_owned(),
            interfaces: vec![Interface {
                access_url,
                url_use: "full",
                standard: false,
                version: None,
            }],
            extension: Extension::None,
        }
    }

    /// Writes `<element standardID=… [xsi:type=…]>` with interfaces and extension elements.
    pub fn write(&self, w: &mut XmlWriter, element: &str) {
        // A capability that follows no IVOA standard (an OGC service) has no standardID.
        let mut attributes: Vec<(&str, &str)> = Vec::new();
        if !self.standard_id.is_empty() {
            attributes.push(("standardID", self.standard_id.as_str()));
        }
        let interface_type = match self.extension {
            Extension::Tap(_) => {
                attributes.push(("xsi:type", "tr:TableAccess"));
                "vs:ParamHTTP"
            }
            Extension::ConeSearch(_) => {
                attributes.push(("xmlns:cs", crate::dal::CONE_SEARCH_NS));
                attributes.push(("xsi:type", "cs:ConeSearch"));
                "vs:ParamHTTP"
            }
            Extension::Harvest { .. } => {
                attributes.push(("xsi:type", "vg:Harvest"));
                "vg:OAIHTTP"
            }
            Extension::None => "vs:ParamHTTP",
        };
        w.start(element, &attributes);
        for interface in &self.interfaces {
            interface.write(w, interface_type);
        }
        match &self.extension {
            Extension::Tap(tap) => tap.write(w),
            Extension::ConeSearch(cone) => cone.write(w),
            Extension::Harvest { max_records } => {
                w.leaf("maxRecords", &[], &max_records.to_string());
            }
            Extension::None => {}
        }
        w.end();
    }
}

impl Interface {
    fn write(&self, w: &mut XmlWriter, xsi_type: &str) {
        let mut attributes = vec![("xsi:type", xsi_type)];
        if self.standard {
            attributes.push(("role", "std"));
        }
        if let Some(version) = &self.version {
            attributes.push(("version", version));
        }
        w.start("interface", &attributes);
        w.leaf("accessURL", &[("use", self.url_use)], &self.access_url);
        w.end();
    }
}

impl TapCapability {
    fn write(&self, w: &mut XmlWriter) {
        for (name, ivo_id) in &self.data_models {
            w.leaf("dataModel", &[("ivo-id", ivo_id)], name);
        }
        for language in &self.languages {
            w.start("language", &[]);
            w.leaf("name", &[], &language.name);
            for (version, ivo_id) in &language.versions {
                w.leaf("version", &[("ivo-id", ivo_id)], version);
            }
            w.optional("description", language.description.as_deref());
            for list in &language.features {
                w.start("languageFeatures", &[("type", &list.type_id)]);
                for (form, description) in &list.features {
                    w.start("feature", &[]);
                    w.leaf("form", &[], form);
                    w.optional("description", description.as_deref());
                    w.end();
                }
                w.end();
            }
            w.end();
        }
        for format in &self.output_formats {
            let attributes: Vec<(&str, &str)> = format
                .ivo_id
                .as_deref()
                .map(|id| ("ivo-id", id))
                .into_iter()
                .collect();
            w.start("outputFormat", &attributes);
            w.leaf("mime", &[], &format.mime);
            for alias in &format.aliases {
                w.leaf("alias", &[], alias);
            }
            w.end();
        }
        for method in &self.upload_methods {
            w.empty("uploadMethod", &[("ivo-id", method)]);
        }
        let time_limits = [
            ("retentionPeriod", self.retention_period),
            ("executionDuration", self.execution_duration),
        ];
        for (element, limits) in time_limits {
            if let Some(limits) = limits {
                limits.write(w, element, None);
            }
        }
        if let Some(limits) = self.output_limit {
            limits.write(w, "outputLimit", Some("row"));
        }
        if let Some((limits, unit)) = self.upload_limit {
            limits.write(w, "uploadLimit", Some(unit));
        }
    }
}

impl Limits {
    fn write(&self, w: &mut XmlWriter, element: &str, unit: Option<&str>) {
        let attributes: Vec<(&str, &str)> = unit.map(|u| ("unit", u)).into_iter().collect();
        w.start(element, &[]);
        if let Some(default) = self.default {
            w.leaf("default", &attributes, &default.to_string());
        }
        if let Some(hard) = self.hard {
            w.leaf("hard", &attributes, &hard.to_string());
        }
        w.end();
    }
}

/// The VOSI capabilities document of one service.
pub fn vosi_document(capabilities: &[Capability]) -> String {
    let mut w = XmlWriter::new();
    w.start(
        "vosi:capabilities",
        &[
            ("xmlns:vosi", VOSI_CAPABILITIES_NS),
            ("xmlns:vr", VORESOURCE_NS),
            ("xmlns:vs", crate::tableset::VODATASERVICE_NS),
            ("xmlns:tr", TAPREGEXT_NS),
            ("xmlns:vg", crate::voresource::VOREGISTRY_NS),
            ("xmlns:xsi", crate::tableset::XSI_NS),
        ],
    );
    for capability in capabilities {
        capability.write(&mut w, "capability");
    }
    w.finish()
}

/// The VOSI availability document (VOSI 1.1 §3.1).
pub fn availability_document(available: bool, note: &str) -> String {
    let mut w = XmlWriter::new();
    w.start(
        "vosi:availability",
        &[(
            "xmlns:vosi",
            "http://www.ivoa.net/xml/VOSIAvailability/v1.0",
        )],
    );
    w.leaf(
        "vosi:available",
        &[],
        if available { "true" } else { "false" },
    );
    w.leaf("vosi:note", &[], note);
    w.finish()
}
