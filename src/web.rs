//! The human-facing pages: the landing page, and `/health` for load balancers.

use std::fmt::Write;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::Html;
// quick-xml's five entities suit HTML text and attribute values alike (`&apos;` is HTML5).
use quick_xml::escape::escape;

use crate::catalog::Catalog;
use crate::services::Service;

/// What the landing page reads: its title, the tables, the services and where they are published.
pub struct LandingState {
    pub title: String,
    pub catalog: Arc<Catalog>,
    pub services: Arc<[Service]>,
    /// Public base URL, without a trailing slash.
    pub base_url: String,
}

pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

pub async fn landing_page(State(state): State<Arc<LandingState>>) -> Html<String> {
    let title = escape(&state.title);
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n<h2>Tables</h2>\n<table>\n<tr><th>Table</th><th>Rows</th><th>Description</th></tr>\n"
    );
    for table in state.catalog.tables() {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(table.qualified_name()),
            table.row_count,
            escape(table.description.as_deref().unwrap_or(""))
        );
    }
    page.push_str("</table>\n<h2>Services</h2>\n<ul>\n");
    for service in state.services.iter() {
        let _ = writeln!(
            page,
            "<li><a href=\"{0}{1}\">{2}</a>: {3}</li>",
            escape(&state.base_url),
            escape(&service.path),
            escape(&service.name),
            escape(&service.description)
        );
    }
    page.push_str("</ul>\n</body>\n</html>\n");
    Html(page)
}
