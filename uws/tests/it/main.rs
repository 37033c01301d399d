//! Integration tests of the UWS engine: one binary, one module per concern.

// Test helpers outside #[test] functions may unwrap too.
#![allow(clippy::unwrap_used)]

mod common;
mod crash;
mod http_actions;
mod lifecycle;
mod uploads;
mod wait;
mod xsd;
