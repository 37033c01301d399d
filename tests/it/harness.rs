//! The HTTP side of the integration tests, written once: the `Answer` every request gives,
//! requests to the in-process router (`get`, `get_query`, `post`, `post_multipart`, `send`),
//! and a client for a real server started by a test.

use std::fmt::Debug;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::http::header::{self, AsHeaderName, HeaderName};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower::ServiceExt;
use vostok::config::Config;

/// A response read whole: status, headers (Content-Type and Location picked out) and body, as
/// bytes and as text (invalid UTF-8 replaced; `text()` refuses it instead).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub content_type: String,
    pub location: Option<String>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Answer {
    /// Reads a response of the router or of a real server to its end.
    pub async fn read<B>(response: Response<B>) -> Self
    where
        B: HttpBody,
        B::Error: Debug,
    {
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes().to_vec();
        let text = |name: HeaderName| {
            parts
                .headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        Self {
            status: parts.status,
            content_type: text(header::CONTENT_TYPE).unwrap_or_default(),
            location: text(header::LOCATION),
            body: String::from_utf8_lossy(&bytes).into_owned(),
            headers: parts.headers,
            bytes,
        }
    }

    /// The value of header `name`, if it is there.
    pub fn header(&self, name: impl AsHeaderName) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The body as text, failing the test if it is not UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).unwrap()
    }
}

/// The router over `config`, built as the binary builds it.
pub async fn router(config: Config) -> Router {
    let state = vostok::server::open(config).await.unwrap();
    vostok::server::router(state)
}

/// The router over the demo configuration, with its jobs and caches in a folder of its own.
pub async fn demo_app() -> (tempfile::TempDir, Router) {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::demo().unwrap();
    config.server.data_dir = data.path().to_owned();
    (data, router(config).await)
}

/// Sends `request` to `app`.
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    Answer::read(app.clone().oneshot(request).await.unwrap()).await
}

/// GETs `uri` (path and query string) from `app`.
pub async fn get(app: &Router, uri: &str) -> Answer {
    get_with(app, uri, &[]).await
}

/// GETs `uri` from `app` with extra request headers.
pub async fn get_with(app: &Router, uri: &str, headers: &[(HeaderName, &str)]) -> Answer {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// GETs `path` with `pairs` as its query string.
pub async fn get_query(app: &Router, path: &str, pairs: &[(&str, &str)]) -> Answer {
    get(app, &format!("{path}?{}", form(pairs))).await
}

/// POSTs `pairs` as a URL-encoded form.
pub async fn post(app: &Router, path: &str, pairs: &[(&str, &str)]) -> Answer {
    post_form(app, path, form(pairs)).await
}

/// POSTs `body`, already URL-encoded, as a form.
pub async fn post_form(app: &Router, path: &str, body: impl Into<Body>) -> Answer {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.into())
        .unwrap();
    send(app, request).await
}

/// A multipart POST with text fields and one file part (a VOTable named `t.xml`).
pub async fn post_multipart(
    app: &Router,
    path: &str,
    pairs: &[(&str, &str)],
    file: (&str, &str),
) -> Answer {
    let boundary = "vostok-test-boundary";
    let mut body = String::new();
    for (name, value) in pairs {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"t.xml\"\r\nContent-Type: application/x-votable+xml\r\n\r\n{}\r\n--{boundary}--\r\n",
        file.0, file.1
    ));
    let request = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

/// `pairs` as a URL-encoded form (or query string).
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a form value.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A free loopback port for a server started by a test.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An HTTP client for a real server, answering the same `Answer`s as the router.
pub struct Client(hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>);

impl Default for Client {
    fn default() -> Self {
        Self(hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http())
    }
}

impl Client {
    /// GETs `url`; `None` when the server cannot be reached (not up yet, or gone).
    pub async fn try_get(&self, url: &str) -> Option<Answer> {
        let response = self.0.get(url.parse().unwrap()).await.ok()?;
        Some(Answer::read(response).await)
    }

    /// GETs `url`.
    pub async fn get(&self, url: &str) -> Answer {
        self.try_get(url)
            .await
            .unwrap_or_else(|| panic!("{url} cannot be reached"))
    }

    /// POSTs `form`, already URL-encoded.
    pub async fn post(&self, url: &str, form: &str) -> Answer {
        let request = Request::post(url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Full::new(Bytes::from(form.to_owned())))
            .unwrap();
        Answer::read(self.0.request(request).await.unwrap()).await
    }
}
