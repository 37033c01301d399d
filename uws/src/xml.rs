//! The UWS 1.1 XML documents (appendix B, `UWS-v1.1.xsd`): the job list, the job, its results
//! and its parameters. Elements come in the order the schema's sequences fix.

use std::fmt::Write;

use dali::ParamValue;
use quick_xml::escape::escape;

use crate::store::{JobRecord, JobSummary};
use crate::time;

const NAMESPACES: &str = r#"xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance""#;
const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// `uws:jobs` (§2.2.2.1), with the version attribute a 1.1 service must set (§2.2.1.1).
pub fn job_list(jobs_url: &str, jobs: &[JobSummary]) -> String {
    let mut out = format!("{HEADER}<uws:jobs version=\"1.1\" {NAMESPACES}>\n");
    for job in jobs {
        let _ = write!(
            out,
            "  <uws:jobref id=\"{id}\" xlink:type=\"simple\" xlink:href=\"{href}\">\
             <uws:phase>{phase}</uws:phase>",
            id = escape(&job.id),
            href = escape(format!("{jobs_url}/{}", job.id)),
            phase = job.phase,
        );
        if let Some(run_id) = &job.run_id {
            let _ = write!(out, "<uws:runId>{}</uws:runId>", escape(run_id));
        }
        owner_id(&mut out, job.owner.as_deref());
        let _ = writeln!(
            out,
            "<uws:creationTime>{}</uws:creationTime></uws:jobref>",
            time::format(job.creation_time)
        );
    }
    out.push_str("</uws:jobs>\n");
    out
}

/// `uws:job` (§2.2.2.2).
pub fn job(jobs_url: &str, job: &JobRecord) -> String {
    let mut out = format!("{HEADER}<uws:job version=\"1.1\" {NAMESPACES}>\n");
    let _ = writeln!(out, "  <uws:jobId>{}</uws:jobId>", escape(&job.id));
    if let Some(run_id) = &job.run_id {
        let _ = writeln!(out, "  <uws:runId>{}</uws:runId>", escape(run_id));
    }
    out.push_str("  ");
    owner_id(&mut out, job.owner.as_deref());
    let _ = writeln!(out, "\n  <uws:phase>{}</uws:phase>", job.phase);
    // No quote: "don't know" is xsi:nil (§2.1.6).
    out.push_str("  <uws:quote xsi:nil=\"true\"/>\n");
    let _ = writeln!(
        out,
        "  <uws:creationTime>{}</uws:creationTime>",
        time::format(job.creation_time)
    );
    instant(&mut out, "startTime", job.start_time);
    instant(&mut out, "endTime", job.end_time);
    let _ = writeln!(
        out,
        "  <uws:executionDuration>{}</uws:executionDuration>",
        // xs:int: a larger duration is as good as unlimited.
        i32::try_from(job.execution_duration).unwrap_or(0)
    );
    instant(&mut out, "destruction", job.destruction);
    parameters_element(&mut out, jobs_url, job, "  ", "");
    results_element(&mut out, jobs_url, job, "  ", "");
    if let Some(error) = &job.error {
        let _ = writeln!(
            out,
            "  <uws:errorSummary type=\"{}\" hasDetail=\"{}\"><uws:message>{}</uws:message></uws:errorSummary>",
            error.kind.as_str(),
            error.document_mime.is_some(),
            escape(&error.message)
        );
    }
    out.push_str("</uws:job>\n");
    out
}

/// `uws:results` alone, served at `/{job-id}/results`.
pub fn results(jobs_url: &str, job: &JobRecord) -> String {
    let mut out = String::from(HEADER);
    results_element(&mut out, jobs_url, job, "", &format!(" {NAMESPACES}"));
    out
}

/// `uws:parameters` alone, served at `/{job-id}/parameters`.
pub fn parameters(jobs_url: &str, job: &JobRecord) -> String {
    let mut out = String::from(HEADER);
    parameters_element(&mut out, jobs_url, job, "", &format!(" {NAMESPACES}"));
    out
}

/// Whether `text` can be the content of an XML 1.0 element; if not, a parameter is given by
/// reference (the XSD's rule for `byReference`).
pub fn is_xml_text(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    })
}

fn owner_id(out: &mut String, owner: Option<&str>) {
    match owner {
        Some(owner) => {
            let _ = write!(out, "<uws:ownerId>{}</uws:ownerId>", escape(owner));
        }
        None => out.push_str("<uws:ownerId xsi:nil=\"true\"/>"),
    }
}

fn instant(out: &mut String, name: &str, value: Option<time::Millis>) {
    let _ = match value {
        Some(t) => writeln!(out, "  <uws:{name}>{}</uws:{name}>", time::format(t)),
        None => writeln!(out, "  <uws:{name} xsi:nil=\"true\"/>"),
    };
}

fn parameters_element(out: &mut String, jobs_url: &str, job: &JobRecord, indent: &str, ns: &str) {
    let _ = writeln!(out, "{indent}<uws:parameters{ns}>");
    for (name, value) in job.parameters.iter() {
        let reference = || escape(format!("{jobs_url}/{}/parameters/{name}", job.id)).into_owned();
        let _ = match value {
            ParamValue::Text(text) if is_xml_text(text) => writeln!(
                out,
                "{indent}  <uws:parameter id=\"{}\">{}</uws:parameter>",
                escape(name),
                escape(text)
            ),
            ParamValue::Text(_) => writeln!(
                out,
                "{indent}  <uws:parameter id=\"{}\" byReference=\"true\">{}</uws:parameter>",
                escape(name),
                reference()
            ),
            // Inline uploads (§2.2.3.1.1): by reference, and they came in the POST body.
            ParamValue::Upload(_) => writeln!(
                out,
                "{indent}  <uws:parameter id=\"{}\" byReference=\"true\" isPost=\"true\">{}</uws:parameter>",
                escape(name),
                reference()
            ),
        };
    }
    let _ = writeln!(out, "{indent}</uws:parameters>");
}

fn results_element(out: &mut String, jobs_url: &str, job: &JobRecord, indent: &str, ns: &str) {
    if job.results.is_empty() {
        let _ = writeln!(out, "{indent}<uws:results{ns}/>");
        return;
    }
    let _ = writeln!(out, "{indent}<uws:results{ns}>");
    for result in &job.results {
        let _ = writeln!(
            out,
            "{indent}  <uws:result id=\"{}\" xlink:type=\"simple\" xlink:href=\"{}\" size=\"{}\" mime-type=\"{}\"/>",
            escape(&result.id),
            escape(format!("{jobs_url}/{}/results/{}", job.id, result.id)),
            result.size,
            escape(&result.mime_type)
        );
    }
    let _ = writeln!(out, "{indent}</uws:results>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_not_xml_text() {
        assert!(is_xml_text("SELECT * FROM t WHERE a < 'é'\n"));
        assert!(!is_xml_text("a\u{1}b"));
        assert!(!is_xml_text("\u{FFFE}"));
    }
}
