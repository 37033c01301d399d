//! Every UWS document validates against the UWS 1.1 XSD (xmllint; the test fails, never
//! skips, when xmllint is missing).

use axum::body::Body;
use axum::http::{Request, header};

use crate::common::*;

#[tokio::test]
async fn job_list_job_results_and_parameters_documents_are_valid() {
    let h = harness(fast_limits()).await;
    assert_valid_uws(&get(&h.router, "/async").await.text());
    let pending = create(
        &h.router,
        &[
            ("MODE", "write"),
            ("QUERY", "SELECT * FROM t WHERE a < 1 & b > 'x'"),
        ],
    )
    .await;
    let done = create(
        &h.router,
        &[("MODE", "write"), ("RUNID", "run <1>"), ("PHASE", "RUN")],
    )
    .await;
    let failed = create(
        &h.router,
        &[("MODE", "fail"), ("DOC", "<x/>"), ("PHASE", "RUN")],
    )
    .await;
    let aborted = create(&h.router, &[("MODE", "write")]).await;
    post(
        &h.router,
        &format!("/async/{aborted}/phase"),
        &[("PHASE", "ABORT")],
    )
    .await;
    assert_eq!(settle(&h.router, &done).await, "COMPLETED");
    assert_eq!(settle(&h.router, &failed).await, "ERROR");
    let boundary = "b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"MODE\"\r\n\r\nwrite\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"t1\"; filename=\"t.xml\"\r\n\r\n<t/>\r\n--{boundary}--\r\n"
    );
    let request = Request::post("/async")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let uploaded = send(&h.router, request)
        .await
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    let list = get(&h.router, "/async").await.text();
    assert_eq!(list.matches("<uws:jobref").count(), 5);
    assert_valid_uws(&list);
    for id in [&pending, &done, &failed, &aborted, &uploaded] {
        let job = get(&h.router, &format!("/async/{id}")).await.text();
        assert_valid_uws(&job);
        assert_valid_uws(&get(&h.router, &format!("/async/{id}/results")).await.text());
        assert_valid_uws(
            &get(&h.router, &format!("/async/{id}/parameters"))
                .await
                .text(),
        );
    }
    // The completed job's document really lists its result, the failed one its error.
    assert!(
        get(&h.router, &format!("/async/{done}"))
            .await
            .text()
            .contains("<uws:result ")
    );
    assert!(
        get(&h.router, &format!("/async/{failed}"))
            .await
            .text()
            .contains("<uws:errorSummary")
    );
}

#[test]
fn an_invalid_document_is_caught() {
    let caught = std::panic::catch_unwind(|| {
        assert_valid_uws(
            r#"<uws:job xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0"><uws:phase>DONE</uws:phase></uws:job>"#,
        )
    });
    assert!(
        caught.is_err(),
        "the validator must reject a job without jobId and a bad phase"
    );
}
