//! FITS: a header (card) parser, and a BINTABLE reader into Arrow batches.

mod bintable;
mod header;

use std::io::Read;

pub use bintable::read_bintable;
pub use header::{BLOCK, Card, Header, Value};

use crate::error::{Location, ReadError};

/// The headers of every HDU in a FITS stream, in order, skipping the data units: what an
/// ObsCore harvester needs (WCS, dimensions, dates) without reading pixels.
pub fn read_headers(mut input: impl Read, source: Option<&str>) -> Result<Vec<Header>, ReadError> {
    let at = || Location {
        source: source.map(str::to_string),
        ..Location::default()
    };
    let mut headers = Vec::new();
    while let Some(header) =
        Header::read_from(&mut input).map_err(|m| ReadError::invalid(at(), m))?
    {
        let size = header
            .data_bytes()
            .map_err(|m| ReadError::invalid(at(), format!("HDU {}: {m}", headers.len())))?;
        header::skip(&mut input, size)
            .map_err(|e| ReadError::invalid(at(), format!("HDU {}: {e}", headers.len())))?;
        headers.push(header);
    }
    if headers.is_empty() {
        return Err(ReadError::invalid(at(), "not a FITS file: no header"));
    }
    Ok(headers)
}
