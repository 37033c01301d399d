//! Writes a generated result in every output format, for external validators (xmllint,
//! astropy, stilts votlint; see `formats/conformance/check-formats`) and for measuring memory:
//!
//! ```text
//! cargo run --release -p formats --example write_samples -- OUTDIR [ROWS] [FORMAT|all] [without-region]
//! ```
//!
//! ROWS defaults to 1000; FORMAT (a RESPONSEFORMAT value) limits the run to one format.
//! `without-region` leaves out the `xtype="polygon"` column, which STIL 3.4's votlint cannot
//! check (it misreads BINARY/BINARY2 streams with such a column, even its own). With
//! OUTDIR `-` the bytes go to `std::io::sink()` (for peak-RSS measurements). Every sixth row
//! is mostly nulls; strings carry markup, separators, quotes and non-ASCII text.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, FixedSizeListBuilder, Float32Builder, Float64Builder, Int64Builder,
    ListBuilder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use formats::{DocumentInfo, EndStatus, FieldMeta, Info, OutputFormat, encoder};

const BATCH: usize = 8192;
const NAMES: [&str; 5] = [
    "M 31",
    "NGC 224 <&> \"x\"",
    "a,b;c\td",
    "Λ-CDM ☃",
    "line\nbreak",
];

fn batch(schema: &Arc<Schema>, start: usize, rows: usize) -> RecordBatch {
    let mut id = Int64Builder::new();
    let mut ra = Float64Builder::new();
    let mut dec = Float64Builder::new();
    let mut mag = Float32Builder::new();
    let mut name = StringBuilder::new();
    let mut flag = BooleanBuilder::new();
    let mut pos = FixedSizeListBuilder::new(Float64Builder::new(), 2);
    let mut region = ListBuilder::new(Float64Builder::new());
    let mut time = TimestampMicrosecondBuilder::new();
    for i in start..start + rows {
        let blank = i % 6 == 5;
        let x = (i as f64 * 0.618_033_988_75).fract();
        id.append_value(i as i64 * 1_000_003 - (1 << 53));
        ra.append_value(x * 360.0);
        if blank {
            dec.append_null();
            mag.append_null();
            name.append_null();
            flag.append_null();
            pos.values().append_value(f64::NAN);
            pos.values().append_value(f64::NAN);
            pos.append(false);
            region.append_null();
            time.append_null();
            continue;
        }
        dec.append_value(x * 180.0 - 90.0);
        mag.append_value((x * 20.0) as f32);
        name.append_value(NAMES[i % NAMES.len()]);
        flag.append_value(i % 2 == 0);
        pos.values().append_value(x * 360.0);
        pos.values().append_value(x * 180.0 - 90.0);
        pos.append(true);
        for k in 0..3 {
            region.values().append_value(x * 300.0 + k as f64);
            region.values().append_value(x * 100.0 - 50.0 + k as f64);
        }
        region.append(true);
        time.append_value(1_700_000_000_000_000 + i as i64 * 1_500_000);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(ra.finish()),
        Arc::new(dec.finish()),
        Arc::new(mag.finish()),
        Arc::new(name.finish()),
        Arc::new(flag.finish()),
        Arc::new(pos.finish()),
        Arc::new(region.finish()),
        Arc::new(time.finish()),
    ];
    RecordBatch::try_new(schema.clone(), columns).expect("columns match the schema")
}

fn schema() -> Arc<Schema> {
    let item = Arc::new(Field::new("item", DataType::Float64, true));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("ra", DataType::Float64, false),
        Field::new("dec", DataType::Float64, true),
        Field::new("mag", DataType::Float32, true),
        Field::new("name", DataType::Utf8, true),
        Field::new("flag", DataType::Boolean, true),
        Field::new("pos", DataType::FixedSizeList(item.clone(), 2), true),
        Field::new("region", DataType::List(item), true),
        Field::new(
            "obs_time",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            true,
        ),
    ]))
}

fn fields(schema: &Schema) -> Vec<FieldMeta> {
    let mut fields: Vec<FieldMeta> = schema
        .fields()
        .iter()
        .map(|f| FieldMeta::from_arrow(f).expect("supported type"))
        .collect();
    fields[0].ucd = Some("meta.id;meta.main".into());
    fields[1].unit = Some("deg".into());
    fields[1].ucd = Some("pos.eq.ra;meta.main".into());
    fields[1].description = Some("Right ascension <ICRS> & \"J2000\"".into());
    fields[2].unit = Some("deg".into());
    fields[2].ucd = Some("pos.eq.dec;meta.main".into());
    fields[3].unit = Some("mag".into());
    fields[6].xtype = Some("point".into());
    fields[6].unit = Some("deg".into());
    fields[7].xtype = Some("polygon".into());
    fields[7].unit = Some("deg".into());
    fields
}

fn extension(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::VotableTabledata => "td.xml",
        OutputFormat::VotableBinary => "b.xml",
        OutputFormat::VotableBinary2 => "b2.xml",
        OutputFormat::Csv => "csv",
        OutputFormat::Tsv => "tsv",
        OutputFormat::Json => "json",
        OutputFormat::Parquet => "parquet",
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: write_samples OUTDIR [ROWS] [FORMAT|all] [without-region]")?,
    );
    let rows: usize = args.next().map(|r| r.parse()).transpose()?.unwrap_or(1000);
    let only = match args.next() {
        Some(f) if f != "all" => {
            Some(OutputFormat::from_param(&f).ok_or(format!("unknown format {f}"))?)
        }
        _ => None,
    };
    let region = schema().index_of("region")?;
    let keep: Vec<usize> = match args.next().as_deref() {
        Some("without-region") => (0..schema().fields().len())
            .filter(|&i| i != region)
            .collect(),
        Some(other) => return Err(format!("unknown option {other}").into()),
        None => (0..schema().fields().len()).collect(),
    };
    let to_sink = dir.as_os_str() == "-";
    if !to_sink {
        std::fs::create_dir_all(&dir)?;
    }
    let schema = schema();
    let doc = DocumentInfo {
        resource_name: Some("vostok".into()),
        table_name: Some("sample".into()),
        table_description: Some("Generated rows with <markup> & \"quotes\"".into()),
        query: Some("SELECT * FROM sample WHERE ra < 10 AND name <> 'a&b'".into()),
        infos: vec![Info::new("request_date", "2025-01-01T00:00:00")],
        ..DocumentInfo::default()
    };
    for format in OutputFormat::ALL {
        if only.is_some_and(|o| o != format) {
            continue;
        }
        // The full result, then MAXREC=0 (metadata and OVERFLOW only).
        for (suffix, n, end) in [
            ("", rows, EndStatus::Ok),
            ("-maxrec0", 0, EndStatus::Overflow),
        ] {
            let out: Box<dyn Write + Send> = if to_sink {
                Box::new(std::io::sink())
            } else {
                let path = dir.join(format!("sample{suffix}.{}", extension(format)));
                Box::new(BufWriter::new(File::create(&path)?))
            };
            let all_fields = fields(&schema);
            let kept = keep.iter().map(|&i| all_fields[i].clone()).collect();
            let mut enc = encoder(format, out, kept, &doc)?;
            let mut start = 0;
            while start < n {
                let len = BATCH.min(n - start);
                enc.write_batch(&batch(&schema, start, len).project(&keep)?)?;
                start += len;
            }
            enc.finish(end)?;
        }
    }
    if !to_sink {
        let error = formats::error_document("query <failed> & why", formats::ErrorStyle::Dali);
        std::fs::write(dir.join("error.xml"), error)?;
    }
    Ok(())
}
