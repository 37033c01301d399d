//! Any text through the whole pipeline: parsing never panics; what parses prints as ADQL that
//! parses back to the same query; checking and translating never panic either.

#![no_main]

#[path = "../../tests/common/catalogue.rs"]
mod catalogue;

use catalogue::catalogue;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(query) = adql::parse(text) else {
        return;
    };
    let printed = query.to_string();
    let again = adql::parse(&printed).unwrap_or_else(|e| panic!("reprint fails: {printed}: {e}"));
    assert_eq!(again, query, "round trip differs: {printed}");
    if let Ok(checked) = adql::check(&query, &catalogue()) {
        let _ = checked.translate(&Default::default());
    }
});
