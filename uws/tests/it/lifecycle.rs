//! Jobs across restarts, crashes and destruction times.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;

use crate::common::*;
use uws::{INTERRUPTED_MESSAGE, UwsLimits};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Every job's phase and, for completed ones, its result bytes.
async fn snapshot(
    router: &axum::Router,
    ids: &[String],
) -> HashMap<String, (String, Option<Vec<u8>>)> {
    let mut seen = HashMap::new();
    for id in ids {
        let phase = phase(router, id).await;
        let result = if phase == "COMPLETED" {
            Some(
                get(router, &format!("/async/{id}/results/result"))
                    .await
                    .body,
            )
        } else {
            None
        };
        seen.insert(id.clone(), (phase, result));
    }
    seen
}

#[test]
fn after_a_crash_executing_jobs_are_error_queued_ones_run_and_results_are_intact() {
    let dir = tempfile::tempdir().unwrap();
    let limits = UwsLimits {
        concurrent_jobs: 2,
        ..fast_limits()
    };
    // First life: some jobs done, two running forever, three queued behind them, one pending.
    let first = runtime();
    let (done, running, queued, pending, before) = first.block_on(async {
        let (_engine, router) =
            open(dir.path(), limits.clone(), Arc::new(TestRunner::default())).await;
        let mut done = Vec::new();
        for _ in 0..3 {
            let id = create(
                &router,
                &[("MODE", "write"), ("SIZE", "70000"), ("PHASE", "RUN")],
            )
            .await;
            assert_eq!(settle(&router, &id).await, "COMPLETED");
            done.push(id);
        }
        let mut running = Vec::new();
        for _ in 0..2 {
            running.push(
                create(
                    &router,
                    &[("MODE", "write"), ("SLEEP_MS", "60000"), ("PHASE", "RUN")],
                )
                .await,
            );
        }
        let mut queued = Vec::new();
        for _ in 0..3 {
            queued.push(
                create(
                    &router,
                    &[("MODE", "write"), ("SIZE", "1000"), ("PHASE", "RUN")],
                )
                .await,
            );
        }
        let pending = create(&router, &[("MODE", "write")]).await;
        for id in &running {
            get(&router, &format!("/async/{id}?WAIT=5&PHASE=QUEUED")).await;
            assert_eq!(phase(&router, id).await, "EXECUTING");
        }
        for id in &queued {
            assert_eq!(phase(&router, id).await, "QUEUED");
        }
        let before = snapshot(&router, &done).await;
        (done, running, queued, pending, before)
    });
    // The crash: every task is dropped where it stands, nothing is shut down.
    first.shutdown_background();

    let second = runtime();
    second.block_on(async {
        let runner = Arc::new(TestRunner::default());
        let (_engine, router) = open(dir.path(), limits, runner.clone()).await;
        let after = snapshot(&router, &done).await;
        assert_eq!(
            after, before,
            "completed jobs and their results survive byte for byte"
        );
        for id in &done {
            let (_, bytes) = &after[id];
            assert_eq!(
                bytes.as_deref(),
                Some(derived_content(id, 70000).as_slice())
            );
        }
        for id in &running {
            assert_eq!(phase(&router, id).await, "ERROR");
            let doc = get(&router, &format!("/async/{id}")).await.text();
            assert_eq!(
                element(&doc, "message").as_deref(),
                Some(INTERRUPTED_MESSAGE)
            );
            assert!(doc.contains(r#"type="transient""#));
            assert!(element(&doc, "endTime").is_some());
            let dir = dir.path().join("jobs").join(id);
            assert!(!dir.join("results.partial").exists() && !dir.join("results").exists());
        }
        for id in &queued {
            assert_eq!(settle(&router, id).await, "COMPLETED");
            let bytes = get(&router, &format!("/async/{id}/results/result"))
                .await
                .body;
            assert_eq!(bytes, derived_content(id, 1000));
        }
        assert_eq!(phase(&router, &pending).await, "PENDING");
        assert_eq!(runner.started.load(std::sync::atomic::Ordering::SeqCst), 3);
    });
}

#[test]
fn a_crash_with_a_hundred_jobs_in_flight_loses_none() {
    let dir = tempfile::tempdir().unwrap();
    let limits = UwsLimits {
        concurrent_jobs: 4,
        max_queue_length: 200,
        ..fast_limits()
    };
    let first = runtime();
    let (ids, before) = first.block_on(async {
        let (_engine, router) =
            open(dir.path(), limits.clone(), Arc::new(TestRunner::default())).await;
        let mut ids = Vec::new();
        for i in 0..100 {
            let sleep = (100 + i * 37 % 300).to_string();
            let size = (20_000 + i * 1_000).to_string();
            ids.push(
                create(
                    &router,
                    &[
                        ("MODE", "write"),
                        ("SLEEP_MS", &sleep),
                        ("SIZE", &size),
                        ("PHASE", "RUN"),
                    ],
                )
                .await,
            );
        }
        // Let some finish, then crash in the middle of the rest.
        while get(&router, "/async?PHASE=COMPLETED")
            .await
            .text()
            .matches("<uws:jobref")
            .count()
            < 10
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let before = snapshot(&router, &ids).await;
        (ids, before)
    });
    first.shutdown_background();
    let completed_before = before.values().filter(|(p, _)| p == "COMPLETED").count();
    assert!(
        completed_before > 0 && completed_before < 100,
        "{completed_before} completed before the crash"
    );

    let second = runtime();
    second.block_on(async {
        let (_engine, router) = open(dir.path(), limits, Arc::new(TestRunner::default())).await;
        let list = get(&router, "/async").await.text();
        assert_eq!(
            list.matches("<uws:jobref").count(),
            100,
            "every job is listed"
        );
        for (i, id) in ids.iter().enumerate() {
            let phase = settle(&router, id).await;
            let (phase_before, bytes_before) = &before[id];
            if phase_before == "COMPLETED" {
                assert_eq!(phase, "COMPLETED", "job {i}");
            }
            match phase.as_str() {
                "COMPLETED" => {
                    let bytes = get(&router, &format!("/async/{id}/results/result"))
                        .await
                        .body;
                    assert_eq!(bytes, derived_content(id, 20_000 + i * 1_000), "job {i}");
                    if let Some(before) = bytes_before {
                        assert_eq!(&bytes, before, "job {i}");
                    }
                }
                "ERROR" => {
                    let doc = get(&router, &format!("/async/{id}")).await.text();
                    assert_eq!(
                        element(&doc, "message").as_deref(),
                        Some(INTERRUPTED_MESSAGE),
                        "job {i}"
                    );
                }
                other => panic!("job {i} ended {other}"),
            }
        }
    });
}

#[tokio::test]
async fn a_clean_shutdown_stops_running_jobs_and_keeps_queued_ones_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let limits = UwsLimits {
        concurrent_jobs: 1,
        ..fast_limits()
    };
    let runner = Arc::new(TestRunner::default());
    let (engine, router) = open(dir.path(), limits.clone(), runner.clone()).await;
    let running = create(
        &router,
        &[("MODE", "write"), ("SLEEP_MS", "60000"), ("PHASE", "RUN")],
    )
    .await;
    let queued = create(&router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    get(&router, &format!("/async/{running}?WAIT=5&PHASE=QUEUED")).await;
    engine.shutdown().await;
    assert_eq!(
        runner.running.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the work has stopped"
    );
    assert_eq!(phase(&router, &running).await, "ERROR");
    assert_eq!(phase(&router, &queued).await, "QUEUED");
    let refused = create_status(&router).await;
    assert_eq!(refused, StatusCode::SERVICE_UNAVAILABLE);
    drop((engine, router));

    let (_engine, router) = open(dir.path(), limits, Arc::new(TestRunner::default())).await;
    assert_eq!(settle(&router, &queued).await, "COMPLETED");
}

async fn create_status(router: &axum::Router) -> StatusCode {
    post(router, "/async", &[("MODE", "write"), ("PHASE", "RUN")])
        .await
        .status
}

#[tokio::test]
async fn the_sweeper_destroys_jobs_and_their_files_at_their_destruction_time() {
    let limits = UwsLimits {
        default_destruction: 1,
        max_destruction: 1,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let done = create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    assert_eq!(settle(&h.router, &done).await, "COMPLETED");
    let pending = create(&h.router, &[("MODE", "write")]).await;
    let jobs_dir = h.dir.path().join("jobs");
    assert!(jobs_dir.join(&done).join("results").exists());
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while get(&h.router, &format!("/async/{pending}")).await.status != StatusCode::NOT_FOUND {
        assert!(
            std::time::Instant::now() < deadline,
            "not destroyed in time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        get(&h.router, &format!("/async/{done}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!jobs_dir.join(&done).exists());
    assert!(!jobs_dir.join(&pending).exists());
    // A destruction time moved earlier is honoured too.
    let long = harness(fast_limits()).await;
    let id = create(&long.router, &[("MODE", "write")]).await;
    let soon = (chrono::Utc::now() + chrono::Duration::milliseconds(1500)).to_rfc3339();
    post(
        &long.router,
        &format!("/async/{id}/destruction"),
        &[("DESTRUCTION", &soon)],
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while get(&long.router, &format!("/async/{id}")).await.status != StatusCode::NOT_FOUND {
        assert!(
            std::time::Instant::now() < deadline,
            "not destroyed at the new time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn job_ids_do_not_repeat_and_are_not_sequential() {
    let h = harness(fast_limits()).await;
    let mut ids = std::collections::HashSet::new();
    for _ in 0..50 {
        let id = create(&h.router, &[("MODE", "write")]).await;
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()) && id.len() == 32);
        ids.insert(id);
    }
    assert_eq!(ids.len(), 50);
}

#[tokio::test]
async fn a_restart_removes_directories_of_jobs_the_store_forgot() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, router) = open(dir.path(), fast_limits(), Arc::new(TestRunner::default())).await;
    let kept = create(&router, &[("MODE", "write")]).await;
    engine.shutdown().await;
    drop((engine, router));
    let jobs = dir.path().join("jobs");
    // A job destroyed just before a crash: its row is gone, its directory not yet.
    let orphan = jobs.join("0123456789abcdef0123456789abcdef");
    std::fs::create_dir_all(orphan.join("results")).unwrap();
    std::fs::write(jobs.join(&kept).join("error"), "stale").unwrap();
    std::fs::write(jobs.join("notes.txt"), "not a job").unwrap();
    let (_engine, router) = open(dir.path(), fast_limits(), Arc::new(TestRunner::default())).await;
    assert!(!orphan.exists());
    assert!(jobs.join(&kept).exists());
    assert!(
        !jobs.join(&kept).join("error").exists(),
        "an error file the store does not name"
    );
    assert!(jobs.join("notes.txt").exists());
    assert_eq!(phase(&router, &kept).await, "PENDING");
}
