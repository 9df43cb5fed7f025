//! Insight rows as Parquet, for the tools analysts already use (pandas, DuckDB, Spark, Trino,
//! BigQuery): Hive-partitioned by building and month, `building_id=71/month=2026-10/
//! part-0.parquet`, the month being the rows' local month. The partition keys live in the
//! path, as Hive readers expect, not in the files.
//!
//! Each file has the period's start in UTC (`start_utc`, a UTC timestamp) and on the
//! building's wall clock (`start_local`, a timestamp without zone, with `utc_offset_minutes`
//! beside it: a fall-back hour happens twice), the `time_zone`, the site, zone, zone name and
//! zone type (null where the table has none), and one double column per metric, named as the
//! service names it. Written with the Apache `parquet` and `arrow` crates, Snappy-compressed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::{Datelike, Offset};
use occudesk_figures::{InsightResult, InsightRow};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

/// The one file of each partition.
pub const PART_FILE: &str = "part-0.parquet";

/// Writes `result`'s rows under `dir`, one file per building and local month, replacing the
/// files of those partitions; `zone_name` names a zone by id. Returns the files written.
pub fn write_partitioned(
    dir: &Path,
    result: &InsightResult,
    zone_name: &dyn Fn(i64) -> Option<String>,
) -> io::Result<Vec<PathBuf>> {
    let mut partitions: BTreeMap<(i64, i32, u32), Vec<&InsightRow>> = BTreeMap::new();
    for row in &result.rows {
        let local = row.start_local;
        partitions
            .entry((row.building_id, local.year(), local.month()))
            .or_default()
            .push(row);
    }
    let schema = schema(result);
    let mut written = Vec::new();
    for ((building, year, month), rows) in partitions {
        let folder = dir
            .join(format!("building_id={building}"))
            .join(format!("month={year:04}-{month:02}"));
        std::fs::create_dir_all(&folder).map_err(|e| in_path(&folder, e))?;
        let path = folder.join(PART_FILE);
        let batch = batch(&schema, result, &rows, zone_name)?;
        write_file(&path, &schema, &batch).map_err(|e| in_path(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

fn in_path(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn schema(result: &InsightResult) -> Arc<Schema> {
    let mut fields = vec![
        Field::new(
            "start_utc",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new(
            "start_local",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            false,
        ),
        Field::new("utc_offset_minutes", DataType::Int32, false),
        Field::new("time_zone", DataType::Utf8, false),
        Field::new("site_id", DataType::Int64, true),
        Field::new("zone_id", DataType::Int64, true),
        Field::new("zone_name", DataType::Utf8, true),
        Field::new("zone_type", DataType::Utf8, true),
    ];
    fields.extend(
        result
            .columns
            .iter()
            .map(|c| Field::new(c.as_str(), DataType::Float64, true)),
    );
    Arc::new(Schema::new(fields))
}

fn batch(
    schema: &Arc<Schema>,
    result: &InsightResult,
    rows: &[&InsightRow],
    zone_name: &dyn Fn(i64) -> Option<String>,
) -> io::Result<RecordBatch> {
    let utc = TimestampMicrosecondArray::from_iter_values(
        rows.iter().map(|r| r.start_utc.timestamp_micros()),
    )
    .with_timezone("UTC");
    let local = TimestampMicrosecondArray::from_iter_values(
        rows.iter()
            .map(|r| r.start_local.naive_local().and_utc().timestamp_micros()),
    );
    let offset = Int32Array::from_iter_values(
        rows.iter()
            .map(|r| r.start_local.offset().fix().local_minus_utc() / 60),
    );
    let zone = StringArray::from_iter_values(rows.iter().map(|_| result.time_zone.as_str()));
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(utc),
        Arc::new(local),
        Arc::new(offset),
        Arc::new(zone),
        Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.site_id))),
        Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.zone_id))),
        Arc::new(StringArray::from_iter(
            rows.iter().map(|r| r.zone_id.and_then(zone_name)),
        )),
        Arc::new(StringArray::from_iter(
            rows.iter().map(|r| r.zone_type.as_deref()),
        )),
    ];
    for index in 0..result.columns.len() {
        columns.push(Arc::new(Float64Array::from_iter(
            rows.iter().map(|r| r.values.get(index).copied().flatten()),
        )));
    }
    RecordBatch::try_new(schema.clone(), columns).map_err(io::Error::other)
}

fn write_file(path: &Path, schema: &Arc<Schema>, batch: &RecordBatch) -> io::Result<()> {
    let file = File::create(path)?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer =
        ArrowWriter::try_new(file, schema.clone(), Some(properties)).map_err(io::Error::other)?;
    writer.write(batch).map_err(io::Error::other)?;
    writer.close().map_err(io::Error::other)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int32Type, Int64Type, TimestampMicrosecondType};
    use chrono::{DateTime, TimeZone, Utc};
    use chrono_tz::Australia::Sydney;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::*;

    /// Sydney zone rows across a month end and the April fall-back (02:00 twice).
    fn sydney() -> InsightResult {
        let row = |utc: &str, zone: i64, values: Vec<Option<f64>>| {
            let start_utc: DateTime<Utc> = utc.parse().unwrap();
            InsightRow {
                start_utc,
                start_local: Sydney
                    .from_utc_datetime(&start_utc.naive_utc())
                    .fixed_offset(),
                date_partition: 0,
                building_id: 73,
                site_id: Some(900),
                zone_id: Some(zone),
                zone_type: Some("MEETING_ROOM".into()),
                values,
            }
        };
        InsightResult {
            time_zone: "Australia/Sydney".into(),
            time_zone_known: true,
            table: "ZONE_INSIGHTS".into(),
            granularity: "PT1H".into(),
            columns: vec!["OCCUPANCY_MAX".into(), "OCCUPANCY_MEAN".into()],
            rows: vec![
                // 2026-03-31 23:00 local (AEDT, +11): March.
                row("2026-03-31T12:00:00Z", 1, vec![Some(4.0), Some(1.5)]),
                // 2026-04-01 00:00 local: April.
                row("2026-03-31T13:00:00Z", 2, vec![None, Some(0.0)]),
                // 2026-04-05 02:00 AEDT, then 02:00 AEST.
                row("2026-04-04T15:00:00Z", 1, vec![Some(7.0), Some(3.25)]),
                row("2026-04-04T16:00:00Z", 1, vec![Some(8.0), None]),
            ],
            group_id: None,
            notice: None,
            requests: 1,
            chunks: 1,
            source: Default::default(),
        }
    }

    fn read(path: &Path) -> RecordBatch {
        let file = File::open(path).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let mut batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
        assert_eq!(batches.len(), 1, "small files are one batch");
        batches.remove(0)
    }

    #[test]
    fn rows_round_trip_partitioned_by_building_and_local_month() {
        let dir = tempfile::tempdir().unwrap();
        let names = |id: i64| (id == 1).then(|| "Huddle Room 1.3".to_owned());
        let written = write_partitioned(dir.path(), &sydney(), &names).unwrap();
        let relative: Vec<String> = written
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            relative,
            [
                "building_id=73/month=2026-03/part-0.parquet",
                "building_id=73/month=2026-04/part-0.parquet",
            ]
        );

        let march = read(&written[0]);
        assert_eq!(march.num_rows(), 1);
        let april = read(&written[1]);
        assert_eq!(april.num_rows(), 3);
        let column = |b: &RecordBatch, name: &str| b.column_by_name(name).unwrap().clone();

        // UTC instants and local wall clocks, the fall-back hour twice with its offset.
        let utc = column(&april, "start_utc");
        let utc = utc.as_primitive::<TimestampMicrosecondType>();
        let expected_utc: DateTime<Utc> = "2026-04-04T15:00:00Z".parse().unwrap();
        assert_eq!(utc.value(1), expected_utc.timestamp_micros());
        let local = column(&april, "start_local");
        let local = local.as_primitive::<TimestampMicrosecondType>();
        let two_am = chrono::NaiveDate::from_ymd_opt(2026, 4, 5)
            .unwrap()
            .and_hms_opt(2, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_micros();
        assert_eq!((local.value(1), local.value(2)), (two_am, two_am));
        let offsets = column(&april, "utc_offset_minutes");
        let offsets = offsets.as_primitive::<Int32Type>();
        assert_eq!((offsets.value(1), offsets.value(2)), (660, 600));
        assert_eq!(
            march
                .schema()
                .field_with_name("start_utc")
                .unwrap()
                .data_type(),
            &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
        );

        // Zone, its name (null when unknown), type, and the metrics with their nulls.
        let zones = column(&april, "zone_id");
        assert_eq!(zones.as_primitive::<Int64Type>().value(0), 2);
        let names = column(&april, "zone_name");
        let names = names.as_string::<i32>();
        assert!(names.is_null(0));
        assert_eq!(names.value(1), "Huddle Room 1.3");
        assert_eq!(
            column(&april, "time_zone").as_string::<i32>().value(0),
            "Australia/Sydney"
        );
        let max = column(&april, "OCCUPANCY_MAX");
        let max = max.as_primitive::<Float64Type>();
        assert!(max.is_null(0));
        assert_eq!((max.value(1), max.value(2)), (7.0, 8.0));
        let mean = column(&april, "OCCUPANCY_MEAN");
        let mean = mean.as_primitive::<Float64Type>();
        assert_eq!(mean.value(1), 3.25);
        assert!(mean.is_null(2));
        // No partition key inside the files: Hive readers take them from the path.
        assert!(march.schema().field_with_name("building_id").is_err());
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("building_id=73"), b"in the way").unwrap();
        let e = write_partitioned(dir.path(), &sydney(), &|_| None).unwrap_err();
        assert!(e.to_string().contains("building_id=73"), "{e}");
    }
}
