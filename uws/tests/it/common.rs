//! A job runner whose behaviour the job's parameters choose, and helpers to drive the HTTP
//! resources in process.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dali::Parameters;
use tower::ServiceExt;
use uws::{
    Engine, ErrorContent, ErrorDocument, JobContext, JobFailure, JobFuture, JobResult, JobRunner,
    UwsLimits,
};

pub const JOBS_URL: &str = "http://vostok.test/async";

/// MODE chooses what a job does:
/// - `write`: after SLEEP_MS (cancellable), writes CONTENT (or SIZE bytes derived from the
///   job id) as result `result`, text/plain;
/// - `fail`: fails with MESSAGE, with an XML error document when DOC is given;
/// - `stubborn`: sleeps SLEEP_MS ignoring cancellation;
/// - `panic`: panics;
/// - `upload`: copies the upload named by UPLOAD_PART to the result.
#[derive(Default)]
pub struct TestRunner {
    pub running: AtomicUsize,
    pub most_running: AtomicUsize,
    pub cancelled_seen: AtomicUsize,
    pub dropped_unfinished: AtomicUsize,
    pub started: AtomicUsize,
}

/// Counts work futures dropped before they finished.
struct DropFlag<'a> {
    runner: &'a TestRunner,
    finished: AtomicBool,
}

impl Drop for DropFlag<'_> {
    fn drop(&mut self) {
        self.runner.running.fetch_sub(1, Ordering::SeqCst);
        if !self.finished.load(Ordering::SeqCst) {
            self.runner
                .dropped_unfinished
                .fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// The bytes of a SIZE-byte result: depends on the job id, so each job's is its own.
pub fn derived_content(job_id: &str, size: usize) -> Vec<u8> {
    job_id.bytes().cycle().take(size).collect()
}

impl JobRunner for TestRunner {
    fn check_parameters(&self, params: &Parameters) -> Result<(), String> {
        match params.get("MODE") {
            Some("write" | "fail" | "stubborn" | "panic" | "upload") => Ok(()),
            Some(other) => Err(format!("MODE={other} is not a test mode")),
            None => Err("MODE is required".into()),
        }
    }

    /// Messages are wrapped, to show the engine uses this for its error bodies.
    fn message_document(&self, message: &str) -> (String, Vec<u8>) {
        (
            "application/x-test-error".into(),
            format!("<error>{message}</error>").into_bytes(),
        )
    }

    fn run(&self, ctx: JobContext) -> JobFuture<'_> {
        Box::pin(async move {
            self.started.fetch_add(1, Ordering::SeqCst);
            let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_running.fetch_max(now, Ordering::SeqCst);
            let flag = DropFlag {
                runner: self,
                finished: AtomicBool::new(false),
            };
            let params = &ctx.parameters;
            let sleep = Duration::from_millis(
                params
                    .get("SLEEP_MS")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0),
            );
            let outcome = match params.get("MODE").unwrap_or("") {
                "write" => {
                    tokio::select! {
                        () = tokio::time::sleep(sleep) => {}
                        () = ctx.cancel.cancelled() => {
                            self.cancelled_seen.fetch_add(1, Ordering::SeqCst);
                            flag.finished.store(true, Ordering::SeqCst);
                            return Err(JobFailure::message("cancelled"));
                        }
                    }
                    let content = match params.get("SIZE") {
                        Some(size) => derived_content(&ctx.job_id, size.parse().unwrap()),
                        None => params.get("CONTENT").unwrap_or("hello").as_bytes().to_vec(),
                    };
                    tokio::fs::write(ctx.results_dir.join("out.txt"), content)
                        .await
                        .unwrap();
                    Ok(vec![JobResult {
                        id: "result".into(),
                        file: "out.txt".into(),
                        mime_type: "text/plain".into(),
                    }])
                }
                "fail" => Err(JobFailure {
                    message: params.get("MESSAGE").unwrap_or("it failed").into(),
                    document: params.get("DOC").map(|doc| ErrorDocument {
                        mime_type: "application/x-votable+xml".into(),
                        content: ErrorContent::Bytes(doc.as_bytes().to_vec()),
                    }),
                }),
                "stubborn" => {
                    tokio::time::sleep(sleep).await;
                    Ok(Vec::new())
                }
                "panic" => panic!("the test runner panics on purpose"),
                "upload" => {
                    let part = params.get("UPLOAD_PART").unwrap();
                    let source = ctx.upload_path(part).expect("upload path");
                    tokio::fs::copy(source, ctx.results_dir.join("copy"))
                        .await
                        .unwrap();
                    Ok(vec![JobResult {
                        id: "result".into(),
                        file: "copy".into(),
                        mime_type: "application/octet-stream".into(),
                    }])
                }
                other => Err(JobFailure::message(format!("unknown mode {other}"))),
            };
            flag.finished.store(true, Ordering::SeqCst);
            outcome
        })
    }
}

pub fn fast_limits() -> UwsLimits {
    UwsLimits {
        cancel_grace_ms: 300,
        max_wait: 30,
        ..UwsLimits::default()
    }
}

pub struct Harness {
    pub engine: Arc<Engine>,
    pub runner: Arc<TestRunner>,
    pub router: Router,
    pub dir: tempfile::TempDir,
}

pub async fn harness(limits: UwsLimits) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let runner = Arc::new(TestRunner::default());
    let (engine, router) = open(dir.path(), limits, runner.clone()).await;
    Harness {
        engine,
        runner,
        router,
        dir,
    }
}

pub async fn open(dir: &Path, limits: UwsLimits, runner: Arc<TestRunner>) -> (Arc<Engine>, Router) {
    let engine = Engine::open(dir, limits, runner, JOBS_URL.into())
        .await
        .unwrap();
    let router = Router::new().nest("/async", uws::routes(engine.clone()));
    (engine, router)
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    pub fn location(&self) -> &str {
        self.headers[header::LOCATION].to_str().unwrap()
    }

    pub fn content_type(&self) -> &str {
        self.headers[header::CONTENT_TYPE].to_str().unwrap()
    }
}

pub async fn send(router: &Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn get(router: &Router, uri: &str) -> Reply {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub async fn delete(router: &Router, uri: &str) -> Reply {
    send(router, Request::delete(uri).body(Body::empty()).unwrap()).await
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

pub async fn post(router: &Router, uri: &str, pairs: &[(&str, &str)]) -> Reply {
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form(pairs)))
        .unwrap();
    send(router, request).await
}

/// Creates a job and returns its id, checking the 303 to it.
pub async fn create(router: &Router, pairs: &[(&str, &str)]) -> String {
    let reply = post(router, "/async", pairs).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let location = reply.location().to_owned();
    let id = location
        .strip_prefix(&format!("{JOBS_URL}/"))
        .unwrap_or_else(|| panic!("Location {location} is not under {JOBS_URL}"));
    id.to_owned()
}

pub async fn phase(router: &Router, id: &str) -> String {
    let reply = get(router, &format!("/async/{id}/phase")).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.text()
}

/// Blocks with WAIT until the job leaves the active phases (or 20 s pass).
pub async fn settle(router: &Router, id: &str) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let now = phase(router, id).await;
        if !matches!(now.as_str(), "PENDING" | "QUEUED" | "EXECUTING") {
            return now;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "job {id} still {now}"
        );
        get(router, &format!("/async/{id}?WAIT=5&PHASE={now}")).await;
    }
}

/// The text of the first `<uws:{name}>` element of a document.
pub fn element(doc: &str, name: &str) -> Option<String> {
    let open = format!("<uws:{name}>");
    let start = doc.find(&open)? + open.len();
    let end = doc[start..].find(&format!("</uws:{name}>"))? + start;
    Some(doc[start..end].to_owned())
}

/// Validates a document against the UWS 1.1 XSD with xmllint; panics (never skips) if
/// xmllint is missing.
pub fn assert_valid_uws(doc: &str) {
    // VOSTOK_SHARED, else the shared/ folder beside the repository (or beside its worktree).
    let shared = std::env::var("VOSTOK_SHARED").unwrap_or_else(|_| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared"))
            .find(|s| s.join("schemas").is_dir())
            .expect("the shared data folder: set VOSTOK_SHARED")
            .to_string_lossy()
            .into_owned()
    });
    let xsd = format!("{shared}/schemas/ivoa/UWS-v1.1.xsd");
    let catalog = format!("{shared}/schemas/catalog.xml");
    assert!(Path::new(&xsd).exists(), "the UWS XSD is missing at {xsd}");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), doc).unwrap();
    let output = std::process::Command::new("xmllint")
        .env("XML_CATALOG_FILES", catalog)
        .args(["--nonet", "--noout", "--schema", &xsd])
        .arg(file.path())
        .output()
        .expect(
            "xmllint must be installed (Debian package libxml2-utils) to validate UWS documents",
        );
    assert!(
        output.status.success(),
        "document invalid against UWS 1.1:\n{}\n{doc}",
        String::from_utf8_lossy(&output.stderr)
    );
}
