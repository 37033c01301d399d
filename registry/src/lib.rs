//! VOResource records, VOSI documents (tables, capabilities) and the OAI-PMH publishing
//! registry. Everything here is built from neutral descriptions the server fills in once.

pub mod capability;
pub mod dal;
pub mod fingerprint;
pub mod ledger;
pub mod oai_pmh;
pub mod tableset;
pub mod voresource;
pub mod xml;

pub use capability::{Capability, Extension, Interface, TapCapability};
pub use dal::ConeSearchCapability;
pub use tableset::{ColumnDesc, Detail, ForeignKeyDesc, SchemaDesc, TableDesc, TableSet};
pub use voresource::{Content, Coverage, Curation, Resource, ResourceKind};
