//! Blocking GET with WAIT (UWS 1.1 §2.2.1.2).

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::common::*;
use uws::UwsLimits;

fn millis(iso: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(iso)
        .unwrap()
        .timestamp_millis()
}

#[tokio::test]
async fn a_job_completing_300_ms_into_a_wait_is_reported_within_100_ms() {
    let h = harness(fast_limits()).await;
    let id = create(
        &h.router,
        &[("MODE", "write"), ("SLEEP_MS", "300"), ("PHASE", "RUN")],
    )
    .await;
    get(&h.router, &format!("/async/{id}?WAIT=5&PHASE=QUEUED")).await;
    let asked = Instant::now();
    let reply = get(&h.router, &format!("/async/{id}?WAIT=30")).await;
    let answered_at = chrono::Utc::now().timestamp_millis();
    let blocked = asked.elapsed();
    let doc = reply.text();
    assert_eq!(
        element(&doc, "phase").as_deref(),
        Some("COMPLETED"),
        "{doc}"
    );
    let ended = millis(&element(&doc, "endTime").unwrap());
    assert!(
        blocked >= Duration::from_millis(200),
        "returned before the job ended: {blocked:?}"
    );
    let late = answered_at - ended;
    eprintln!("WAIT=30 blocked {blocked:?}; answered {late} ms after the job ended");
    assert!(late < 100, "reported {late} ms after completion");
}

#[tokio::test]
async fn wait_returns_at_once_outside_active_phases_or_another_phase() {
    let h = harness(fast_limits()).await;
    let done = create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    assert_eq!(settle(&h.router, &done).await, "COMPLETED");
    let pending = create(&h.router, &[("MODE", "write")]).await;
    let started = Instant::now();
    let reply = get(&h.router, &format!("/async/{done}?WAIT=30")).await;
    assert_eq!(
        element(&reply.text(), "phase").as_deref(),
        Some("COMPLETED")
    );
    let reply = get(
        &h.router,
        &format!("/async/{pending}?WAIT=30&PHASE=EXECUTING"),
    )
    .await;
    assert_eq!(element(&reply.text(), "phase").as_deref(), Some("PENDING"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let bad = get(&h.router, &format!("/async/{pending}?WAIT=forever")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let bad = get(
        &h.router,
        &format!("/async/{pending}?WAIT=1&PHASE=SLEEPING"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn wait_minus_one_is_capped_by_the_configured_maximum() {
    let limits = UwsLimits {
        max_wait: 1,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let pending = create(&h.router, &[("MODE", "write")]).await;
    for query in ["WAIT=-1", "WAIT=600", "WAIT=-1&PHASE=PENDING"] {
        let started = Instant::now();
        let reply = get(&h.router, &format!("/async/{pending}?{query}")).await;
        let took = started.elapsed();
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(5),
            "{query}: {took:?}"
        );
    }
}

#[tokio::test]
async fn a_pending_job_wakes_its_waiters_when_run_and_when_deleted() {
    let h = harness(fast_limits()).await;
    let id = create(&h.router, &[("MODE", "write"), ("SLEEP_MS", "20000")]).await;
    let router = h.router.clone();
    let waiter = {
        let id = id.clone();
        tokio::spawn(
            async move { get(&router, &format!("/async/{id}?WAIT=30&PHASE=PENDING")).await },
        )
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "RUN")],
    )
    .await;
    let reply = waiter.await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    let phase = element(&reply.text(), "phase").unwrap();
    assert!(phase == "QUEUED" || phase == "EXECUTING", "{phase}");
    let router = h.router.clone();
    let waiter = {
        let id = id.clone();
        tokio::spawn(async move { get(&router, &format!("/async/{id}?WAIT=30")).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    h.engine.delete(&id).await.unwrap();
    assert_eq!(waiter.await.unwrap().status, StatusCode::NOT_FOUND);
    assert!(started.elapsed() < Duration::from_secs(2));
}
