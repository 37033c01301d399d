//! EPN-TAP 2.0 (IVOA REC 2022-08-29): any schema may publish an `epn_core` table; at start-up
//! its columns are checked against the standard's 46 mandatory columns and the server refuses
//! to start with a list of what is wrong. TAP_SCHEMA gives such tables the utype
//! `ivo://ivoa.net/std/epntap#table-2.0` (set by the catalogue).

mod check;
mod mandatory;

pub use check::{check_catalog, problems};
pub use mandatory::{MANDATORY, TABLE_NAME, TABLE_UTYPE};
