//! What the simple data-access services (Simple Cone Search, SIA 2.0) share: their searches are
//! written as ADQL and run through the TAP engine (so cones use the HEALPix sky index), the
//! rows stream back as they are produced, and bad requests answer with a VOTable error document.

pub mod error;
pub mod params;
pub mod run;

pub use error::{DalError, ErrorStyle};
pub use run::{DalQuery, run};
