//! `vostok query`: one ADQL query against a configuration, printed on standard output with the
//! same checks, limits and messages as the TAP service.

use anyhow::bail;
use formats::{DocumentInfo, OutputFormat};

use super::adql::prepare;
use super::results::{ResultSpec, write_results};
use crate::config::Config;

pub async fn run(
    config: &Config,
    text: &str,
    format: OutputFormat,
    maxrec: Option<u64>,
) -> anyhow::Result<()> {
    let catalog = crate::catalog::open_catalog(config).await?;
    let max_rows = config.tap.maxrec(maxrec);
    let prepared = match prepare(&catalog, text, adql::Version::V2_1, &[], Some(max_rows + 1)).await
    {
        Ok(prepared) => prepared,
        Err(e) => bail!("{e}"),
    };
    let stream = prepared.frame.execute_stream().await?;
    let spec = ResultSpec {
        format,
        fields: prepared.fields,
        document: DocumentInfo {
            query: Some(text.to_owned()),
            ..DocumentInfo::default()
        },
        max_rows,
    };
    let handle = tokio::runtime::Handle::current();
    let written = tokio::task::spawn_blocking(move || {
        let stdout = Box::new(std::io::BufWriter::new(std::io::stdout()));
        write_results(&handle, stream, spec, stdout, std::future::pending())
    })
    .await??;
    match written.status {
        formats::EndStatus::Error(message) => bail!("{message}"),
        formats::EndStatus::Overflow => {
            tracing::warn!(
                "the result was cut at {max_rows} rows (--maxrec or the configured limits)"
            );
            Ok(())
        }
        formats::EndStatus::Ok => Ok(()),
    }
}
