//! The IVOA's ADQL test corpus (lyonetia, GPL, read from the shared data folder at test time):
//! every query labelled valid/invalid goes through the parser and must agree with its label,
//! except the disagreements listed in `JUSTIFIED`, each argued from the standard.

#![allow(clippy::unwrap_used)] // a test: failures should panic

use std::path::PathBuf;

use quick_xml::Reader;
use quick_xml::events::Event;

struct Case {
    file: String,
    uuid: String,
    adql: String,
    valid: bool,
    functions: Vec<String>,
}

/// Queries where the parser disagrees with the corpus on purpose: (file, uuid, why).
const JUSTIFIED: &[(&str, &str, &str)] = &[];

fn corpus_dir() -> PathBuf {
    // `VOSTOK_SHARED`, or the `shared/` folder beside the repository (or beside its worktree).
    let shared = std::env::var_os("VOSTOK_SHARED")
        .map(PathBuf::from)
        .or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared"))
                .find(|s| s.join("data").is_dir())
        })
        .expect("the shared data folder: set VOSTOK_SHARED");
    shared.join("data/adql/lyonetia/ivoa")
}

fn function_name(form: &str) -> String {
    form.split('(').next().unwrap_or("").trim().to_string()
}

fn read_cases(path: &std::path::Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let file = path.file_name().unwrap().to_string_lossy().to_string();
    let mut reader = Reader::from_str(&text);
    let mut cases = Vec::new();
    let mut file_functions = Vec::new();
    let mut query_functions = Vec::new();
    let mut in_query = false;
    let mut current: Option<(String, bool)> = None;
    let mut uuid = String::new();
    let mut text_buf = String::new();
    let mut in_form = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => match e.name().0 {
                "query" => {
                    in_query = true;
                    query_functions.clear();
                    uuid = e
                        .try_get_attribute("uuid")
                        .unwrap()
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .to_string()
                        })
                        .unwrap_or_default();
                }
                "adql" => {
                    let valid = e
                        .try_get_attribute("valid")
                        .unwrap()
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                == "true"
                        })
                        .unwrap_or(false);
                    current = Some((String::new(), valid));
                    text_buf.clear();
                }
                "form" => {
                    in_form = true;
                    text_buf.clear();
                }
                _ => {}
            },
            Event::Text(t) if current.is_some() || in_form => {
                text_buf.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if current.is_some() || in_form => {
                let resolved = match &*r {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity {other}"),
                };
                text_buf.push_str(resolved);
            }
            Event::CData(c) if current.is_some() || in_form => {
                text_buf.push_str(&c);
            }
            Event::End(e) => match e.name().0 {
                "adql" => {
                    let (_, valid) = current.take().unwrap();
                    let mut functions = file_functions.clone();
                    functions.extend(query_functions.iter().cloned());
                    cases.push(Case {
                        file: file.clone(),
                        uuid: uuid.clone(),
                        adql: text_buf.clone(),
                        valid,
                        functions,
                    });
                }
                "form" => {
                    in_form = false;
                    let name = function_name(&text_buf);
                    if in_query {
                        query_functions.push(name);
                    } else {
                        file_functions.push(name);
                    }
                }
                "query" => in_query = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

#[test]
fn lyonetia_ivoa_corpus_agrees_with_labels() {
    let dir = corpus_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the lyonetia corpus must be at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    let cases: Vec<Case> = paths.iter().flat_map(|p| read_cases(p)).collect();
    assert!(cases.len() > 100, "only {} queries read", cases.len());
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for case in &cases {
        let options = adql::ParseOptions {
            extra_functions: case.functions.clone(),
            ..Default::default()
        };
        let result = adql::parse_with(&case.adql, &options);
        if result.is_ok() == case.valid {
            agree += 1;
            if let Ok(query) = &result {
                let printed = query.to_string();
                let again = adql::parse_with(&printed, &options).unwrap_or_else(|e| {
                    panic!("{}: reprint does not parse: {e}\n{printed}", case.uuid)
                });
                assert_eq!(&again, query, "{}: round trip differs", case.uuid);
            }
        } else {
            disagreements.push((
                case.file.clone(),
                case.uuid.clone(),
                case.valid,
                result.err().map(|e| e.to_string()),
                case.adql.trim().to_string(),
            ));
        }
    }
    println!("lyonetia/ivoa: {agree}/{} agree", cases.len());
    for (file, uuid, valid, error, adql) in &disagreements {
        println!("DISAGREE {file} {uuid} labelled valid={valid}: {error:?}\n    {adql}");
    }
    let unjustified: Vec<_> = disagreements
        .iter()
        .filter(|(f, u, ..)| !JUSTIFIED.iter().any(|(jf, ju, _)| jf == f && ju == u))
        .collect();
    let stale: Vec<_> = JUSTIFIED
        .iter()
        .filter(|(jf, ju, _)| !disagreements.iter().any(|(f, u, ..)| jf == f && ju == u))
        .collect();
    assert!(
        unjustified.is_empty(),
        "{} unjustified disagreements",
        unjustified.len()
    );
    assert!(stale.is_empty(), "justified but now agreeing: {stale:?}");
}
