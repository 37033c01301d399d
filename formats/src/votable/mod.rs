//! VOTable 1.4: the streaming writer (TABLEDATA, BINARY, BINARY2), the error document, and
//! a streaming reader into Arrow.

mod binary;
pub(crate) mod builders;
mod read;
mod write;
pub(crate) mod xml;

pub use read::{ReadOptions, TableMeta, read};
pub(crate) use write::VotableEncoder;
pub use xml::{ErrorStyle, error_document};
