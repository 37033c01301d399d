//! Uploads: multipart job creation, inline files given by reference, and the upload limit.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::common::*;
use uws::UwsLimits;

fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "vostok-test-boundary";
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file_name {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                     Content-Type: application/x-votable+xml\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn multipart_creation_stores_inline_uploads_by_reference() {
    let h = harness(fast_limits()).await;
    let table = b"<VOTABLE>\x01 not XML text</VOTABLE>";
    let (content_type, body) = multipart(&[
        ("MODE", None, b"upload"),
        ("UPLOAD_PART", None, b"t1"),
        ("UPLOAD", None, b"t1,param:t1"),
        ("t1", Some("table.xml"), table),
    ]);
    let request = Request::post("/async?PHASE=RUN")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let reply = send(&h.router, request).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let id = reply.location().rsplit('/').next().unwrap().to_owned();
    assert_eq!(settle(&h.router, &id).await, "COMPLETED");
    let doc = get(&h.router, &format!("/async/{id}")).await.text();
    let reference = format!(
        r#"<uws:parameter id="t1" byReference="true" isPost="true">{JOBS_URL}/{id}/parameters/t1</uws:parameter>"#
    );
    assert!(doc.contains(&reference), "{doc}");
    assert!(doc.contains(r#"<uws:parameter id="upload">t1,param:t1</uws:parameter>"#));
    let upload = get(&h.router, &format!("/async/{id}/parameters/t1")).await;
    assert_eq!(upload.body, table);
    assert_eq!(upload.content_type(), "application/x-votable+xml");
    assert_eq!(
        get(&h.router, &format!("/async/{id}/results/result"))
            .await
            .body,
        table
    );
    assert_eq!(
        get(&h.router, &format!("/async/{id}/parameters/none"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_refused_multipart_creation_leaves_no_files() {
    let h = harness(fast_limits()).await;
    let (content_type, body) =
        multipart(&[("MODE", None, b"dance"), ("t1", Some("t.xml"), b"<x/>")]);
    let request = Request::post("/async")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        send(&h.router, request).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        std::fs::read_dir(h.dir.path().join("jobs"))
            .unwrap()
            .count(),
        0
    );
    // File parts are only for creation and parameters.
    let id = create(&h.router, &[("MODE", "write")]).await;
    let (content_type, body) =
        multipart(&[("PHASE", None, b"RUN"), ("t1", Some("t.xml"), b"<x/>")]);
    let request = Request::post(format!("/async/{id}/phase"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(
        send(&h.router, request).await.status,
        StatusCode::BAD_REQUEST
    );
    let request = Request::post("/async")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(
        send(&h.router, request).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn parameters_xml_cannot_carry_are_given_by_reference() {
    let h = harness(fast_limits()).await;
    let id = create(&h.router, &[("MODE", "write"), ("CONTENT", "bell\u{7}")]).await;
    let doc = get(&h.router, &format!("/async/{id}/parameters"))
        .await
        .text();
    assert!(
        doc.contains(&format!(
            r#"<uws:parameter id="content" byReference="true">{JOBS_URL}/{id}/parameters/content<"#
        )),
        "{doc}"
    );
    assert_eq!(
        get(&h.router, &format!("/async/{id}/parameters/content"))
            .await
            .text(),
        "bell\u{7}"
    );
    assert_valid_uws(&doc);
}

#[tokio::test]
async fn a_request_over_the_upload_limit_is_refused_and_leaves_no_files() {
    let limits = UwsLimits {
        max_upload_bytes: 1_000,
        ..fast_limits()
    };
    let h = harness(limits).await;
    let big = vec![b'x'; 5_000];
    let (content_type, body) = multipart(&[("MODE", None, b"write"), ("t1", Some("t.xml"), &big)]);
    let request = Request::post("/async")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let reply = send(&h.router, request).await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert_eq!(
        std::fs::read_dir(h.dir.path().join("jobs"))
            .unwrap()
            .count(),
        0
    );
    let query = "x".repeat(5_000);
    let reply = post(&h.router, "/async", &[("MODE", "write"), ("QUERY", &query)]).await;
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert!(!get(&h.router, "/async").await.text().contains("jobref"));
}
