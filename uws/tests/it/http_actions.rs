//! Every UWS action and error case, through the HTTP resources in process (uploads: `uploads.rs`).

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::common::*;
use uws::{JobOwner, UwsLimits};

#[tokio::test]
async fn creating_a_job_answers_303_to_it_and_it_waits_pending() {
    let h = harness(fast_limits()).await;
    let id = create(
        &h.router,
        &[("MODE", "write"), ("RUNID", "mine"), ("Query", "a<b")],
    )
    .await;
    assert_eq!(id.len(), 32);
    let job = get(&h.router, &format!("/async/{id}")).await;
    assert_eq!(job.status, StatusCode::OK);
    assert!(job.content_type().contains("xml"));
    let doc = job.text();
    assert_eq!(element(&doc, "jobId").as_deref(), Some(id.as_str()));
    assert_eq!(element(&doc, "phase").as_deref(), Some("PENDING"));
    assert_eq!(element(&doc, "runId").as_deref(), Some("mine"));
    assert_eq!(element(&doc, "executionDuration").as_deref(), Some("3600"));
    assert!(
        doc.contains(r#"<uws:parameter id="query">a&lt;b</uws:parameter>"#),
        "{doc}"
    );
    assert!(doc.contains(r#"<uws:parameter id="mode">write</uws:parameter>"#));
    assert!(doc.contains(r#"<uws:ownerId xsi:nil="true"/>"#));
    assert!(doc.contains(r#"<uws:startTime xsi:nil="true"/>"#));
    // Nothing runs until asked.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(phase(&h.router, &id).await, "PENDING");
    assert_eq!(h.runner.started.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn phase_run_at_creation_runs_the_job_and_its_result_is_served_with_its_type() {
    let h = harness(fast_limits()).await;
    let id = create(
        &h.router,
        &[("MODE", "write"), ("CONTENT", "42 rows"), ("PHASE", "RUN")],
    )
    .await;
    assert_eq!(settle(&h.router, &id).await, "COMPLETED");
    let result = get(&h.router, &format!("/async/{id}/results/result")).await;
    assert_eq!(result.status, StatusCode::OK);
    assert_eq!(result.text(), "42 rows");
    assert_eq!(result.content_type(), "text/plain");
    assert_eq!(result.headers[header::CONTENT_LENGTH], "7");
    let results = get(&h.router, &format!("/async/{id}/results")).await.text();
    let href =
        format!(r#"xlink:href="{JOBS_URL}/{id}/results/result" size="7" mime-type="text/plain""#);
    assert!(results.contains(&href), "{results}");
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    assert!(doc.contains(&href));
    assert!(element(&doc, "startTime").is_some() && element(&doc, "endTime").is_some());
    // The job control parameter is not a job parameter.
    assert!(!doc.contains(r#"id="phase""#), "{doc}");
    let missing = get(&h.router, &format!("/async/{id}/results/other")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn phase_run_queues_a_pending_job_and_is_refused_once_it_has_run() {
    let h = harness(fast_limits()).await;
    let id = create(&h.router, &[("MODE", "write")]).await;
    let run = post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "RUN")],
    )
    .await;
    assert_eq!(run.status, StatusCode::SEE_OTHER);
    assert_eq!(run.location(), format!("{JOBS_URL}/{id}"));
    assert_eq!(settle(&h.router, &id).await, "COMPLETED");
    let again = post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "RUN")],
    )
    .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.text().contains("COMPLETED"), "{}", again.text());
    let abort = post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "ABORT")],
    )
    .await;
    assert_eq!(abort.status, StatusCode::FORBIDDEN);
    assert!(abort.text().contains("COMPLETED"));
    let bad = post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "SUSPEND")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let none = post(&h.router, &format!("/async/{id}/phase"), &[]).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.text().contains("PHASE"));
}

#[tokio::test]
async fn bad_parameters_refuse_the_creation_with_400_and_leave_nothing() {
    let h = harness(fast_limits()).await;
    let reply = post(&h.router, "/async", &[("MODE", "dance")]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.text().contains("MODE=dance"), "{}", reply.text());
    let reply = post(
        &h.router,
        "/async",
        &[("MODE", "write"), ("PHASE", "ABORT")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = post(
        &h.router,
        "/async",
        &[("MODE", "write"), ("EXECUTIONDURATION", "ten")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = post(
        &h.router,
        "/async",
        &[("MODE", "write"), ("DESTRUCTION", "2001-01-01T00:00:00Z")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let list = get(&h.router, "/async").await.text();
    assert!(!list.contains("jobref"), "{list}");
    let dirs = std::fs::read_dir(h.dir.path().join("jobs"))
        .unwrap()
        .count();
    assert_eq!(dirs, 0);
}

#[tokio::test]
async fn abort_cancels_the_running_work() {
    let h = harness(fast_limits()).await;
    let id = create(
        &h.router,
        &[("MODE", "write"), ("SLEEP_MS", "20000"), ("PHASE", "RUN")],
    )
    .await;
    get(&h.router, &format!("/async/{id}?WAIT=5&PHASE=QUEUED")).await;
    assert_eq!(phase(&h.router, &id).await, "EXECUTING");
    let abort = post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "abort")],
    )
    .await;
    assert_eq!(abort.status, StatusCode::SEE_OTHER);
    assert_eq!(phase(&h.router, &id).await, "ABORTED");
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    assert!(element(&doc, "endTime").is_some());
    assert!(
        doc.contains("aborted at the request of its client"),
        "{doc}"
    );
    let error = get(&h.router, &format!("/async/{id}/error")).await;
    assert_eq!(error.status, StatusCode::OK);
    assert!(error.text().contains("aborted"));
    tokio::time::timeout(Duration::from_secs(2), async {
        while h.runner.cancelled_seen.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the work saw its cancellation");
    // Its result never appears.
    let result = get(&h.router, &format!("/async/{id}/results/result")).await;
    assert_eq!(result.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn abort_of_pending_and_queued_jobs() {
    let limits = UwsLimits {
        concurrent_jobs: 1,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let pending = create(&h.router, &[("MODE", "write")]).await;
    let busy = create(
        &h.router,
        &[("MODE", "write"), ("SLEEP_MS", "20000"), ("PHASE", "RUN")],
    )
    .await;
    let queued = create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    assert_eq!(phase(&h.router, &queued).await, "QUEUED");
    for id in [&pending, &queued, &busy] {
        let abort = post(
            &h.router,
            &format!("/async/{id}/phase"),
            &[("PHASE", "ABORT")],
        )
        .await;
        assert_eq!(abort.status, StatusCode::SEE_OTHER);
        assert_eq!(phase(&h.router, id).await, "ABORTED");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The aborted queued job never ran.
    assert_eq!(h.runner.started.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn queued_jobs_are_visible_and_concurrency_is_bounded() {
    let limits = UwsLimits {
        concurrent_jobs: 2,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(
            create(
                &h.router,
                &[("MODE", "write"), ("SLEEP_MS", "150"), ("PHASE", "RUN")],
            )
            .await,
        );
    }
    let list = get(&h.router, "/async?PHASE=QUEUED").await.text();
    assert_eq!(list.matches("<uws:jobref").count(), 3, "{list}");
    let list = get(&h.router, "/async?PHASE=EXECUTING").await.text();
    assert_eq!(list.matches("<uws:jobref").count(), 2, "{list}");
    for id in &ids {
        assert_eq!(settle(&h.router, id).await, "COMPLETED");
    }
    assert_eq!(h.runner.most_running.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_full_queue_refuses_run_with_503_and_retry_after() {
    let limits = UwsLimits {
        concurrent_jobs: 1,
        max_queue_length: 2,
        ..fast_limits()
    };
    let h = harness(limits).await;
    create(
        &h.router,
        &[("MODE", "write"), ("SLEEP_MS", "20000"), ("PHASE", "RUN")],
    )
    .await;
    create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    let refused = post(&h.router, "/async", &[("MODE", "write"), ("PHASE", "RUN")]).await;
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    assert!(
        refused.text().contains("queue is full"),
        "{}",
        refused.text()
    );
    let waiting = create(&h.router, &[("MODE", "write")]).await;
    let run = post(
        &h.router,
        &format!("/async/{waiting}/phase"),
        &[("PHASE", "RUN")],
    )
    .await;
    assert_eq!(run.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(phase(&h.router, &waiting).await, "PENDING");
}

#[tokio::test]
async fn execution_duration_is_read_capped_and_fixed_once_running() {
    let limits = UwsLimits {
        default_execution_duration: 60,
        max_execution_duration: 600,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let id = create(&h.router, &[("MODE", "write"), ("SLEEP_MS", "20000")]).await;
    let url = format!("/async/{id}/executionduration");
    assert_eq!(get(&h.router, &url).await.text(), "60");
    let set = post(&h.router, &url, &[("EXECUTIONDURATION", "120")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(set.location(), format!("{JOBS_URL}/{id}"));
    assert_eq!(get(&h.router, &url).await.text(), "120");
    post(&h.router, &url, &[("EXECUTIONDURATION", "100000")]).await;
    assert_eq!(get(&h.router, &url).await.text(), "600");
    post(&h.router, &url, &[("EXECUTIONDURATION", "0")]).await;
    assert_eq!(
        get(&h.router, &url).await.text(),
        "600",
        "0 (unlimited) is capped too"
    );
    let bad = post(&h.router, &url, &[("EXECUTIONDURATION", "-5")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "RUN")],
    )
    .await;
    get(&h.router, &format!("/async/{id}?WAIT=5&PHASE=QUEUED")).await;
    let late = post(&h.router, &url, &[("EXECUTIONDURATION", "30")]).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert!(late.text().contains("EXECUTING"), "{}", late.text());
    // A creation request may carry it too.
    let other = create(&h.router, &[("MODE", "write"), ("executionDuration", "7")]).await;
    assert_eq!(
        get(&h.router, &format!("/async/{other}/executionduration"))
            .await
            .text(),
        "7"
    );
}

#[tokio::test]
async fn exceeding_the_execution_duration_aborts_the_job_and_stops_its_work() {
    let h = harness(fast_limits()).await;
    let id = create(
        &h.router,
        &[
            ("MODE", "write"),
            ("SLEEP_MS", "30000"),
            ("EXECUTIONDURATION", "1"),
            ("PHASE", "RUN"),
        ],
    )
    .await;
    assert_eq!(settle(&h.router, &id).await, "ABORTED");
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    assert!(
        doc.contains("exceeded its execution duration of 1 s"),
        "{doc}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(h.runner.cancelled_seen.load(Ordering::SeqCst), 1);
    assert_eq!(h.runner.running.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn work_that_ignores_cancellation_is_dropped_after_the_grace_period() {
    let limits = UwsLimits {
        concurrent_jobs: 1,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let stubborn = create(
        &h.router,
        &[
            ("MODE", "stubborn"),
            ("SLEEP_MS", "60000"),
            ("PHASE", "RUN"),
        ],
    )
    .await;
    let next = create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    get(&h.router, &format!("/async/{stubborn}?WAIT=5&PHASE=QUEUED")).await;
    post(
        &h.router,
        &format!("/async/{stubborn}/phase"),
        &[("PHASE", "ABORT")],
    )
    .await;
    assert_eq!(phase(&h.router, &stubborn).await, "ABORTED");
    // The slot frees once the work is dropped (grace 300 ms), and the next job runs.
    assert_eq!(settle(&h.router, &next).await, "COMPLETED");
    assert_eq!(h.runner.dropped_unfinished.load(Ordering::SeqCst), 1);
    assert_eq!(h.runner.most_running.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn destruction_is_read_capped_and_refused_in_the_past() {
    let limits = UwsLimits {
        default_destruction: 3_600,
        max_destruction: 7_200,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let id = create(&h.router, &[("MODE", "write")]).await;
    let url = format!("/async/{id}/destruction");
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    let created = element(&doc, "creationTime").unwrap();
    let shown = get(&h.router, &url).await.text();
    let t = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    };
    assert_eq!(t(&shown) - t(&created), 3_600_000);
    let set = post(&h.router, &url, &[("DESTRUCTION", "2999-01-01T00:00:00Z")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t(&get(&h.router, &url).await.text()) - t(&created),
        7_200_000
    );
    let soon = chrono::Utc::now() + chrono::Duration::minutes(10);
    let soon_text = soon.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    post(&h.router, &url, &[("DESTRUCTION", &soon_text)]).await;
    assert_eq!(get(&h.router, &url).await.text(), soon_text);
    let past = post(&h.router, &url, &[("DESTRUCTION", "2001-01-01T00:00:00Z")]).await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
    let garbage = post(&h.router, &url, &[("DESTRUCTION", "tomorrow")]).await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    assert!(garbage.text().contains("tomorrow"));
}

#[tokio::test]
async fn delete_and_action_delete_destroy_the_job_and_answer_303_to_the_list() {
    let h = harness(fast_limits()).await;
    let a = create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    assert_eq!(settle(&h.router, &a).await, "COMPLETED");
    let b = create(
        &h.router,
        &[("MODE", "write"), ("SLEEP_MS", "20000"), ("PHASE", "RUN")],
    )
    .await;
    get(&h.router, &format!("/async/{b}?WAIT=5&PHASE=QUEUED")).await;
    let deleted = delete(&h.router, &format!("/async/{a}")).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(deleted.location(), JOBS_URL);
    let posted = post(&h.router, &format!("/async/{b}"), &[("ACTION", "DELETE")]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert_eq!(posted.location(), JOBS_URL);
    for id in [&a, &b] {
        assert_eq!(
            get(&h.router, &format!("/async/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            delete(&h.router, &format!("/async/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // The running job's work stops and its directory goes once it has.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(h.runner.running.load(Ordering::SeqCst), 0);
    assert_eq!(
        std::fs::read_dir(h.dir.path().join("jobs"))
            .unwrap()
            .count(),
        0
    );
    let c = create(&h.router, &[("MODE", "write")]).await;
    let bad = post(&h.router, &format!("/async/{c}"), &[("ACTION", "EXPLODE")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(phase(&h.router, &c).await, "PENDING");
}

#[tokio::test]
async fn parameters_change_only_while_pending_and_are_checked() {
    let h = harness(fast_limits()).await;
    let id = create(&h.router, &[("MODE", "write"), ("CONTENT", "one")]).await;
    let url = format!("/async/{id}/parameters");
    let set = post(&h.router, &url, &[("content", "two"), ("RUNID", "r2")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let params = get(&h.router, &url).await.text();
    assert!(
        params.contains(r#"<uws:parameter id="content">two</uws:parameter>"#),
        "{params}"
    );
    assert!(!params.contains(">one<"));
    assert_eq!(
        element(
            &get(&h.router, &format!("/async/{id}")).await.text(),
            "runId"
        )
        .as_deref(),
        Some("r2")
    );
    let refused = post(&h.router, &url, &[("MODE", "dance")]).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(get(&h.router, &url).await.text().contains(">write<"));
    post(
        &h.router,
        &format!("/async/{id}/phase"),
        &[("PHASE", "RUN")],
    )
    .await;
    assert_eq!(settle(&h.router, &id).await, "COMPLETED");
    assert_eq!(
        get(&h.router, &format!("/async/{id}/results/result"))
            .await
            .text(),
        "two"
    );
    let late = post(&h.router, &url, &[("CONTENT", "three")]).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert!(late.text().contains("COMPLETED"), "{}", late.text());
}

#[tokio::test]
async fn a_failed_job_is_error_with_its_document_served_at_error() {
    let h = harness(fast_limits()).await;
    let votable =
        "<VOTABLE><INFO name=\"QUERY_STATUS\" value=\"ERROR\">no such table</INFO></VOTABLE>";
    let id = create(
        &h.router,
        &[
            ("MODE", "fail"),
            ("MESSAGE", "no such table"),
            ("DOC", votable),
            ("PHASE", "RUN"),
        ],
    )
    .await;
    assert_eq!(settle(&h.router, &id).await, "ERROR");
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    assert!(
        doc.contains(r#"<uws:errorSummary type="fatal" hasDetail="true"><uws:message>no such table</uws:message>"#),
        "{doc}"
    );
    let error = get(&h.router, &format!("/async/{id}/error")).await;
    assert_eq!(error.status, StatusCode::OK);
    assert_eq!(error.content_type(), "application/x-votable+xml");
    assert_eq!(error.text(), votable);
    // Without a document the message is served.
    let plain = create(
        &h.router,
        &[("MODE", "fail"), ("MESSAGE", "plain"), ("PHASE", "RUN")],
    )
    .await;
    assert_eq!(settle(&h.router, &plain).await, "ERROR");
    assert!(
        get(&h.router, &format!("/async/{plain}"))
            .await
            .text()
            .contains(r#"hasDetail="false""#)
    );
    let error = get(&h.router, &format!("/async/{plain}/error")).await;
    assert_eq!(error.text(), "<error>plain</error>");
    assert_eq!(error.content_type(), "application/x-test-error");
    // A panic is an error too, not a crash.
    let panics = create(&h.router, &[("MODE", "panic"), ("PHASE", "RUN")]).await;
    assert_eq!(settle(&h.router, &panics).await, "ERROR");
    assert!(
        get(&h.router, &format!("/async/{panics}/error"))
            .await
            .text()
            .contains("failed")
    );
    // A job without error has an empty error resource.
    let fine = create(&h.router, &[("MODE", "write")]).await;
    let none = get(&h.router, &format!("/async/{fine}/error")).await;
    assert_eq!((none.status, none.text()), (StatusCode::OK, String::new()));
}

#[tokio::test]
async fn simple_children_are_text_plain() {
    let h = harness(fast_limits()).await;
    let id = create(&h.router, &[("MODE", "write")]).await;
    for (child, expected) in [
        ("phase", "PENDING"),
        ("quote", ""),
        ("owner", ""),
        ("executionduration", "3600"),
    ] {
        let reply = get(&h.router, &format!("/async/{id}/{child}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{child}");
        assert!(reply.content_type().starts_with("text/plain"), "{child}");
        assert_eq!(reply.text(), expected, "{child}");
    }
    let destruction = get(&h.router, &format!("/async/{id}/destruction"))
        .await
        .text();
    assert!(
        destruction.ends_with('Z') && destruction.contains('T'),
        "{destruction}"
    );
}

#[tokio::test]
async fn unknown_jobs_are_404_on_every_resource() {
    let h = harness(fast_limits()).await;
    let unknown = "0123456789abcdef0123456789abcdef";
    for id in [unknown, "not-an-id", "..%2F..%2Fetc"] {
        for child in [
            "",
            "/phase",
            "/executionduration",
            "/destruction",
            "/error",
            "/quote",
            "/owner",
            "/results",
            "/parameters",
            "/results/result",
            "/parameters/x",
        ] {
            let reply = get(&h.router, &format!("/async/{id}{child}")).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "GET {id}{child}");
        }
        for (child, pairs) in [
            ("/phase", [("PHASE", "RUN")]),
            ("/executionduration", [("EXECUTIONDURATION", "5")]),
            ("/destruction", [("DESTRUCTION", "2999-01-01T00:00:00Z")]),
            ("/parameters", [("MODE", "write")]),
            ("", [("ACTION", "DELETE")]),
        ] {
            let reply = post(&h.router, &format!("/async/{id}{child}"), &pairs).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "POST {id}{child}");
        }
        assert_eq!(
            delete(&h.router, &format!("/async/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let missing = get(&h.router, &format!("/async/{unknown}")).await;
    assert_eq!(
        missing.text(),
        format!("<error>there is no job {unknown}</error>")
    );
    assert_eq!(missing.content_type(), "application/x-test-error");
}

#[tokio::test]
async fn the_job_list_filters_by_phase_after_and_last() {
    let h = harness(fast_limits()).await;
    let done = create(&h.router, &[("MODE", "write"), ("PHASE", "RUN")]).await;
    assert_eq!(settle(&h.router, &done).await, "COMPLETED");
    tokio::time::sleep(Duration::from_millis(5)).await;
    let pending = create(&h.router, &[("MODE", "write"), ("RUNID", "p&q")]).await;
    let list = get(&h.router, "/async").await;
    assert_eq!(list.status, StatusCode::OK);
    let text = list.text();
    assert_eq!(text.matches("<uws:jobref").count(), 2);
    assert!(text.contains(&format!(r#"<uws:jobref id="{pending}" xlink:type="simple" xlink:href="{JOBS_URL}/{pending}"><uws:phase>PENDING</uws:phase><uws:runId>p&amp;q</uws:runId>"#)), "{text}");
    let ids = |text: String| -> Vec<String> {
        text.split("<uws:jobref id=\"")
            .skip(1)
            .map(|s| s[..32].to_owned())
            .collect()
    };
    assert_eq!(
        ids(get(&h.router, "/async?PHASE=COMPLETED").await.text()),
        [done.as_str()]
    );
    assert_eq!(
        ids(get(&h.router, "/async?PHASE=COMPLETED&phase=PENDING")
            .await
            .text()),
        [pending.as_str(), done.as_str()]
    );
    assert_eq!(
        ids(get(&h.router, "/async?LAST=1").await.text()),
        [pending.as_str()]
    );
    assert_eq!(
        ids(get(&h.router, "/async?LAST=1&PHASE=COMPLETED").await.text()),
        [done.as_str()]
    );
    assert!(ids(get(&h.router, "/async?PHASE=ARCHIVED").await.text()).is_empty());
    let doc = get(&h.router, &format!("/async/{done}")).await.text();
    let created = element(&doc, "creationTime").unwrap();
    let after = get(&h.router, &format!("/async?AFTER={created}"))
        .await
        .text();
    assert_eq!(ids(after), [pending.as_str()]);
    for bad in ["/async?LAST=0", "/async?PHASE=DONE", "/async?AFTER=later"] {
        assert_eq!(
            get(&h.router, bad).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn the_owner_comes_from_the_request_identity() {
    let h = harness(fast_limits()).await;
    let mut request = Request::post("/async")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("MODE=write"))
        .unwrap();
    request
        .extensions_mut()
        .insert(JobOwner("ivo://example/alice".into()));
    let reply = send(&h.router, request).await;
    let id = reply.location().rsplit('/').next().unwrap().to_owned();
    assert_eq!(
        get(&h.router, &format!("/async/{id}/owner")).await.text(),
        "ivo://example/alice"
    );
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    assert_eq!(
        element(&doc, "ownerId").as_deref(),
        Some("ivo://example/alice")
    );
}
