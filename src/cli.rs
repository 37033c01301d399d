//! The command line: `serve`, `ingest`, `check-config`, `gen-catalog`, `gen-footprints`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::ingest::{self, IngestOptions, Layout};

#[derive(Parser)]
#[command(name = "vostok", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the configured catalogue (the embedded demo when no --config is given).
    Serve {
        /// Configuration file (TOML).
        #[arg(long, env = "VOSTOK_CONFIG")]
        config: Option<PathBuf>,
        /// Listen address, overriding the configuration's `server.bind`.
        #[arg(long)]
        bind: Option<SocketAddr>,
        /// Folder for jobs, results and caches, overriding the configuration's `server.data_dir`.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Convert a catalogue into a HEALPix-sorted Parquet file and a configuration snippet.
    Ingest(Box<IngestArgs>),
    /// Check a configuration file and the data it points at.
    CheckConfig {
        /// Configuration file (TOML).
        file: PathBuf,
    },
    /// Run an ADQL query against a configuration and print the result on standard output.
    Query {
        /// Configuration file (TOML); the embedded demo when absent.
        #[arg(long, env = "VOSTOK_CONFIG")]
        config: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "csv")]
        format: QueryFormat,
        /// Rows to print at most (the default and hard limits of the configuration apply).
        #[arg(long)]
        maxrec: Option<u64>,
        /// The ADQL query; read from standard input when absent.
        query: Option<String>,
    },
    /// Write a random catalogue of stars, uniform on the sphere, through the ingest path.
    GenCatalog {
        #[arg(long)]
        rows: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output Parquet file, or a folder to write `<table>.parquet` into.
        #[arg(long)]
        out: PathBuf,
        /// ADQL `schema.table` for the configuration snippet.
        #[arg(long, default_value = "bench.stars")]
        table: String,
        #[command(flatten)]
        layout: LayoutArgs,
    },
    /// Write random polygon footprints, uniform on the sphere, through the ingest path.
    GenFootprints {
        #[arg(long)]
        rows: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output Parquet file, or a folder to write `<table>.parquet` into.
        #[arg(long)]
        out: PathBuf,
        /// ADQL `schema.table` for the configuration snippet.
        #[arg(long, default_value = "bench.footprints")]
        table: String,
        #[command(flatten)]
        layout: LayoutArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum QueryFormat {
    Csv,
    Tsv,
    Json,
    Votable,
}

impl QueryFormat {
    fn output(self) -> formats::OutputFormat {
        match self {
            Self::Csv => formats::OutputFormat::Csv,
            Self::Tsv => formats::OutputFormat::Tsv,
            Self::Json => formats::OutputFormat::Json,
            Self::Votable => formats::OutputFormat::VotableTabledata,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum InputFormat {
    Csv,
    Geojson,
    /// A folder of FITS images → ObsCore 1.1 rows (`ivoa.obscore`).
    FitsImages,
}

#[derive(Args)]
struct IngestArgs {
    /// The input file.
    input: PathBuf,
    #[arg(long, value_enum)]
    format: InputFormat,
    /// Column holding the right ascension (or east longitude), in degrees 0..360.
    #[arg(long, default_value = "ra")]
    ra: String,
    /// Column holding the declination (or latitude), in degrees.
    #[arg(long, default_value = "dec")]
    dec: String,
    /// Output Parquet file, or a folder to write `<table>.parquet` into.
    #[arg(long)]
    out: PathBuf,
    /// ADQL `schema.table` for the configuration snippet (default: `<schema>.<input file stem>`).
    #[arg(long)]
    table: Option<String>,
    /// Field delimiter of CSV input (a single character; `\t` for tabs).
    #[arg(long, default_value = ",")]
    delimiter: String,
    /// Rename an input column: `--rename old=new` (repeatable); --ra/--dec use the new names.
    #[arg(long = "rename", value_parser = parse_rename)]
    renames: Vec<(String, String)>,
    /// CSV: fix a column's type instead of inferring it: `--type name=double` (repeatable;
    /// double, long, int or text), e.g. for a column whose values are all empty.
    #[arg(long = "type", value_parser = parse_type)]
    types: Vec<(String, datafusion::arrow::datatypes::DataType)>,
    /// CRS of GeoJSON polygon footprints, written into the GeoParquet metadata: OGC:CRS84
    /// (Earth) or IAU_2015:49900 (Mars).
    #[arg(long, default_value = "OGC:CRS84")]
    crs: String,
    /// fits-images: the obs_collection of the rows.
    #[arg(long, default_value = "images")]
    collection: String,
    /// fits-images: the IVOA authority of obs_publisher_did (`ivo://…/{collection}?{obs_id}`).
    #[arg(long, default_value = "ivo://vostok.invalid")]
    authority: String,
    /// fits-images: the path under the server URL that serves the files ([products] dir).
    #[arg(long, default_value = "/data")]
    url_path: String,
    #[command(flatten)]
    layout: LayoutArgs,
}

#[derive(Args)]
struct LayoutArgs {
    /// HEALPix order of the sky index column.
    #[arg(long, default_value_t = 29, value_parser = clap::value_parser!(u8).range(0..=29))]
    order: u8,
    /// Rows per Parquet row group: smaller groups let a small cone read less.
    #[arg(long, default_value_t = 32_768)]
    row_group_rows: usize,
    /// Memory the sort may use before spilling to disk, in MiB.
    #[arg(long, default_value_t = 512)]
    memory_mib: usize,
}

fn parse_rename(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((from, to)) if !from.is_empty() && !to.is_empty() => {
            Ok((from.to_owned(), to.to_owned()))
        }
        _ => Err(format!("`{text}` is not of the form old=new")),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            config,
            bind,
            data_dir,
        } => {
            let mut config = match config {
                Some(path) => Config::load(&path)?,
                None => Config::demo()?,
            };
            if let Some(bind) = bind {
                config.server.bind = bind;
            }
            if let Some(data_dir) = data_dir {
                config.server.data_dir = std::env::current_dir()?.join(data_dir);
            }
            crate::server::serve(config).await
        }
        Command::Ingest(args) => run_ingest(*args).await,
        Command::CheckConfig { file } => check_config(&file).await,
        Command::Query {
            config,
            format,
            maxrec,
            query,
        } => {
            let config = match config {
                Some(path) => Config::load(&path)?,
                None => Config::demo()?,
            };
            let query = match query {
                Some(query) => query,
                None => std::io::read_to_string(std::io::stdin())?,
            };
            crate::query::cli::run(&config, &query, format.output(), maxrec).await
        }
        Command::GenCatalog {
            rows,
            seed,
            out,
            table,
            layout,
        } => {
            let table = split_table(&table)?;
            let source = Box::new(ingest::generated::GeneratedStars::new(rows, seed));
            let options = options(
                format!("{rows} generated stars"),
                "ra",
                "dec",
                &out,
                table,
                &layout,
                vec![],
            );
            report(ingest::ingest(source, &options).await?);
            Ok(())
        }
        Command::GenFootprints {
            rows,
            seed,
            out,
            table,
            layout,
        } => {
            let table = split_table(&table)?;
            let source = Box::new(ingest::generated_footprints::GeneratedFootprints::new(
                rows, seed,
            ));
            let options = options(
                format!("{rows} generated footprints"),
                "centroid_lon",
                "centroid_lat",
                &out,
                table,
                &layout,
                vec![],
            );
            report(ingest::ingest(source, &options).await?);
            Ok(())
        }
    }
}

async fn run_ingest(args: IngestArgs) -> anyhow::Result<()> {
    let stem = args
        .input
        .file_stem()
        .map(|s| {
            s.to_string_lossy()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        })
        .unwrap_or_else(|| "table".to_owned());
    let table = match &args.table {
        Some(table) => split_table(table)?,
        None => ("public".to_owned(), stem),
    };
    let source: Box<dyn ingest::source::Source> = match args.format {
        InputFormat::Csv => Box::new(ingest::csv::CsvSource::open(
            &args.input,
            parse_delimiter(&args.delimiter)?,
            &args.types,
        )?),
        InputFormat::Geojson => {
            let crs = ogc_features::parse_geographic(&args.crs)?;
            Box::new(ingest::geojson::GeoJsonSource::open(&args.input)?.with_crs(crs))
        }
        InputFormat::FitsImages => Box::new(ingest::fits_images::FitsImagesSource::open(
            &args.input,
            ingest::fits_images::FitsImagesOptions {
                collection: args.collection.clone(),
                authority: args.authority.trim_end_matches('/').to_owned(),
                url_path: args.url_path.trim_end_matches('/').to_owned(),
            },
        )?),
    };
    let options = options(
        args.input.display().to_string(),
        &args.ra,
        &args.dec,
        &args.out,
        table,
        &args.layout,
        args.renames,
    );
    report(ingest::ingest(source, &options).await?);
    Ok(())
}

fn options(
    input_name: String,
    ra: &str,
    dec: &str,
    out: &Path,
    table: (String, String),
    layout: &LayoutArgs,
    renames: Vec<(String, String)>,
) -> IngestOptions {
    let out = if out.is_dir() {
        out.join(format!("{}.parquet", table.1))
    } else {
        out.to_owned()
    };
    IngestOptions {
        input_name,
        ra: ra.to_owned(),
        dec: dec.to_owned(),
        renames,
        out,
        table,
        layout: Layout {
            order: layout.order,
            row_group_rows: layout.row_group_rows,
        },
        memory_bytes: layout.memory_mib << 20,
    }
}

fn report(summary: ingest::IngestSummary) {
    let seconds = summary.elapsed.as_secs_f64();
    tracing::info!(
        "wrote {} rows to {} in {:.1} s ({:.0} rows/s); configuration snippet in {}",
        summary.rows,
        summary.parquet.display(),
        seconds,
        summary.rows as f64 / seconds.max(1e-9),
        summary.snippet.display()
    );
}

fn parse_type(text: &str) -> Result<(String, datafusion::arrow::datatypes::DataType), String> {
    use datafusion::arrow::datatypes::DataType;
    let (column, name) = text
        .split_once('=')
        .filter(|(c, _)| !c.is_empty())
        .ok_or_else(|| format!("`{text}` is not of the form column=type"))?;
    let data_type = match name {
        "double" => DataType::Float64,
        "long" => DataType::Int64,
        "int" => DataType::Int32,
        "text" => DataType::Utf8,
        other => return Err(format!("type `{other}` is not double, long, int or text")),
    };
    Ok((column.to_owned(), data_type))
}

fn split_table(text: &str) -> anyhow::Result<(String, String)> {
    match text.split_once('.') {
        Some((schema, table)) if !schema.is_empty() && !table.is_empty() => {
            Ok((schema.to_owned(), table.to_owned()))
        }
        _ => bail!("--table `{text}` must be of the form schema.table"),
    }
}

fn parse_delimiter(text: &str) -> anyhow::Result<u8> {
    match text {
        "\\t" | "tab" => Ok(b'\t'),
        _ if text.len() == 1 => Ok(text.as_bytes()[0]),
        _ => bail!("--delimiter `{text}` must be a single character"),
    }
}

async fn check_config(file: &Path) -> anyhow::Result<()> {
    let config = Config::load(file)?;
    let spill = tempfile::tempdir().context("cannot create a temporary folder")?;
    let ctx = crate::engine::session(config.limits.query_memory_mib << 20, spill.path())?;
    let catalog = crate::catalog::Catalog::open(&config, ctx).await?;
    crate::epntap::check_catalog(&catalog).await?;
    crate::server::open_ogc(&config, &catalog, &config.base_url()).await?;
    let tables = catalog.tables().count();
    let rows: u64 = catalog.tables().map(|t| t.row_count).sum();
    println!("{}: valid; {tables} tables, {rows} rows", file.display());
    Ok(())
}
