//! A real process is killed with SIGKILL while jobs run, then started again on the same data
//! directory: every job is accounted for, and completed results are byte-identical.
//!
//! The server process is this test binary itself, re-run on the ignored test `child_server`
//! with `UWS_CHILD_DIR` set.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use uws::{INTERRUPTED_MESSAGE, UwsLimits};

const CHILD_DIR: &str = "UWS_CHILD_DIR";

/// The server of the crash test; does nothing unless started by it.
#[test]
#[ignore = "run by a_server_killed_with_sigkill_loses_no_job as its server process"]
fn child_server() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let dir = Path::new(&dir).to_path_buf();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let limits = UwsLimits {
            concurrent_jobs: 4,
            max_queue_length: 1_000,
            ..fast_limits()
        };
        let (_engine, router) = open(&dir, limits, Arc::new(TestRunner::default())).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let port_file = dir.join("port");
        std::fs::write(dir.join("port.partial"), port.to_string()).unwrap();
        std::fs::rename(dir.join("port.partial"), port_file).unwrap();
        axum::serve(listener, router).await.unwrap();
    });
}

/// Kills the server when dropped, so a failing test leaves no process behind.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(dir: &Path) -> Server {
    let _ = std::fs::remove_file(dir.join("port"));
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash::child_server", "--ignored", "--nocapture"])
        .env(CHILD_DIR, dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server { child, port: 0 };
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.port == 0 {
        assert!(Instant::now() < deadline, "the server did not start");
        if let Ok(text) = std::fs::read_to_string(dir.join("port")) {
            server.port = text.parse().unwrap();
        } else {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    server
}

struct HttpReply {
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
}

/// A minimal HTTP/1.1 exchange over a fresh connection.
fn http(port: u16, method: &str, path: &str, form_body: &str) -> HttpReply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form_body}",
        form_body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut body = raw[split + 4..].to_vec();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body);
    }
    HttpReply {
        status,
        location: header("location"),
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(std::str::from_utf8(&raw[..line_end]).unwrap().trim(), 16)
            .unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[line_end + 2..line_end + 2 + size]);
        raw = &raw[line_end + 4 + size..];
    }
}

fn text_of(reply: &HttpReply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

fn size_of(i: usize) -> usize {
    50_000 + i * 997
}

#[test]
fn a_server_killed_with_sigkill_loses_no_job() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(dir.path());
    let mut ids = Vec::new();
    for i in 0..100 {
        let body = form(&[
            ("MODE", "write"),
            ("SIZE", &size_of(i).to_string()),
            ("SLEEP_MS", &(50 + i * 53 % 400).to_string()),
            ("PHASE", "RUN"),
        ]);
        let reply = http(server.port, "POST", "/async", &body);
        assert_eq!(reply.status, 303);
        ids.push(
            reply
                .location
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        );
    }
    // Kill it once some jobs are done and others run.
    let deadline = Instant::now() + Duration::from_secs(60);
    while text_of(&http(server.port, "GET", "/async?PHASE=COMPLETED", ""))
        .matches("<uws:jobref")
        .count()
        < 10
    {
        assert!(Instant::now() < deadline, "jobs do not complete");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut before = Vec::new();
    for id in &ids {
        let phase = text_of(&http(server.port, "GET", &format!("/async/{id}/phase"), ""));
        let bytes = (phase == "COMPLETED").then(|| {
            http(
                server.port,
                "GET",
                &format!("/async/{id}/results/result"),
                "",
            )
            .body
        });
        before.push(bytes);
    }
    let executing = text_of(&http(server.port, "GET", "/async?PHASE=EXECUTING", ""))
        .matches("<uws:jobref")
        .count();
    drop(server); // SIGKILL
    let completed_before = before.iter().filter(|b| b.is_some()).count();
    assert!(
        completed_before < 100,
        "the kill came after every job had finished"
    );
    assert!(executing > 0, "no job was executing at the kill");

    let server = start_server(dir.path());
    let list = text_of(&http(server.port, "GET", "/async", ""));
    assert_eq!(
        list.matches("<uws:jobref").count(),
        100,
        "every job is still listed"
    );
    let (mut completed, mut interrupted) = (0, 0);
    for (i, id) in ids.iter().enumerate() {
        let deadline = Instant::now() + Duration::from_secs(60);
        let phase = loop {
            let doc = text_of(&http(
                server.port,
                "GET",
                &format!("/async/{id}?WAIT=5"),
                "",
            ));
            let phase = element(&doc, "phase").unwrap();
            if !matches!(phase.as_str(), "QUEUED" | "EXECUTING") {
                if phase == "ERROR" {
                    assert_eq!(
                        element(&doc, "message").as_deref(),
                        Some(INTERRUPTED_MESSAGE),
                        "job {i}"
                    );
                }
                break phase;
            }
            assert!(Instant::now() < deadline, "job {i} still {phase}");
        };
        match phase.as_str() {
            "COMPLETED" => {
                completed += 1;
                let bytes = http(
                    server.port,
                    "GET",
                    &format!("/async/{id}/results/result"),
                    "",
                )
                .body;
                assert_eq!(bytes, derived_content(id, size_of(i)), "job {i}");
                if let Some(before) = &before[i] {
                    assert_eq!(&bytes, before, "job {i} changed across the crash");
                }
            }
            "ERROR" => {
                assert!(
                    before[i].is_none(),
                    "job {i} was completed before the crash"
                );
                interrupted += 1;
            }
            other => panic!("job {i} ended {other}"),
        }
    }
    eprintln!(
        "killed with {completed_before} of 100 jobs completed and {executing} executing; \
         after the restart {completed} completed, {interrupted} interrupted"
    );
    assert_eq!(completed + interrupted, 100);
    assert!(
        (1..=4).contains(&interrupted),
        "{interrupted} interrupted, with 4 jobs at most running at once"
    );
}
