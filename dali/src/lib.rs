//! DALI 1.1 request parameters (§3): names case-insensitive, values possibly repeated, some of
//! them files sent inline in a multipart POST. Both the UWS job engine (which stores a job's
//! parameters) and the server's DAL services (TAP, SCS, SIA) read requests through here.

mod params;
mod read;

pub use params::{ParamValue, Parameters, Upload};
pub use read::{ReadError, query_pairs, read_parameters};
