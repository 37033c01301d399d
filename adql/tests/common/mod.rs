//! Helpers of the checker and translation tests, over the shared catalogue fixture.

// Each test binary uses a different part of this helper.
#![allow(dead_code)]

mod catalogue;

pub use catalogue::catalogue;

pub fn translate(adql: &str, max_rows: Option<u64>) -> String {
    translation(adql, max_rows).statement.to_string()
}

pub fn translation(adql: &str, max_rows: Option<u64>) -> adql::Translation {
    let query = adql::parse(adql).unwrap_or_else(|e| panic!("{adql}: {e}"));
    let checked = adql::check(&query, &catalogue()).unwrap_or_else(|e| panic!("{adql}: {e}"));
    let options = adql::TranslateOptions {
        max_rows,
        ..Default::default()
    };
    checked.translation(&options)
}
