//! What the DALI services (TAP, Simple Cone Search, SIA 2.0) share: reading parameters, MAXREC
//! and RESPONSEFORMAT, and one error answered as a VOTable error document. The searches of SCS
//! and SIA are written as ADQL and run through the TAP engine (so cones use the HEALPix sky
//! index), their rows streaming back as they are produced.

pub mod error;
pub mod params;
pub mod run;

pub use error::{DalError, ErrorStyle};
pub use run::{DalQuery, run};
