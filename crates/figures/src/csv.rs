//! CSV export of an insight result: local time first (what the analyst reads), then UTC, the
//! zone name, the entity ids, and one column per metric. Empty cells for missing values.

use std::io::{self, Write};

use super::result::InsightResult;

/// Writes `result` as CSV (RFC 4180, `\n` line ends).
pub fn write_csv<W: Write>(result: &InsightResult, out: W) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let has_site = result.rows.iter().any(|r| r.site_id.is_some());
    let has_zone = result.rows.iter().any(|r| r.zone_id.is_some());
    let has_type = result.rows.iter().any(|r| r.zone_type.is_some());

    let mut header: Vec<String> = vec![
        "local_time".into(),
        "utc_time".into(),
        "time_zone".into(),
        "building_id".into(),
    ];
    if has_site {
        header.push("site_id".into());
    }
    if has_zone {
        header.push("zone_id".into());
    }
    if has_type {
        header.push("zone_type".into());
    }
    header.extend(result.columns.iter().cloned());
    write_record(&mut out, header.iter().map(String::as_str))?;

    let tz = text_cell(&result.time_zone);
    let mut cells: Vec<String> = Vec::with_capacity(header.len());
    for row in &result.rows {
        cells.clear();
        cells.push(row.start_local.to_rfc3339());
        cells.push(
            row.start_utc
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        );
        cells.push(tz.clone());
        cells.push(row.building_id.to_string());
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        if has_site {
            cells.push(opt(row.site_id));
        }
        if has_zone {
            cells.push(opt(row.zone_id));
        }
        if has_type {
            cells.push(row.zone_type.as_deref().map(text_cell).unwrap_or_default());
        }
        for v in &row.values {
            cells.push(v.map(|v| v.to_string()).unwrap_or_default());
        }
        write_record(&mut out, cells.iter().map(String::as_str))?;
    }
    out.flush()
}

/// The CSV as a string, for small results and tests.
pub fn to_csv_string(result: &InsightResult) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_csv(result, &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

fn write_record<'a, W: Write>(out: &mut W, cells: impl Iterator<Item = &'a str>) -> io::Result<()> {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(quoted(cell).as_bytes())?;
    }
    out.write_all(b"\n")
}

/// Text that came from the server: a leading `=`, `+`, `-`, `@`, tab or carriage return
/// would make a spreadsheet run it as a formula (OWASP "CSV injection"), so such cells get a
/// leading apostrophe.
fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// One CSV field of text from the server, safe for spreadsheets and quoted as RFC 4180 asks.
pub fn text_field(text: &str) -> String {
    quoted(&text_cell(text)).into_owned()
}

/// A cell as RFC 4180 writes it: in quotes (doubled inside) when it holds a comma, a quote
/// or a line end.
fn quoted(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\"")).into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InsightRow;
    use crate::time::{parse_utc, to_local};

    #[test]
    fn server_text_cannot_become_a_formula() {
        assert_eq!(text_field("Kitchen 1.6"), "Kitchen 1.6");
        assert_eq!(
            text_field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(text_field("+1"), "'+1");
        assert_eq!(text_field("-2,3"), "\"'-2,3\"");
        assert_eq!(text_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_field("\tx"), "'\tx");
    }

    #[test]
    fn csv_has_local_and_utc_time_zone_ids_and_empty_nulls() {
        let t = parse_utc("2025-07-01T05:00:00Z").unwrap();
        let result = InsightResult {
            time_zone: "America/Chicago".into(),
            time_zone_known: true,
            table: "ZONE_TYPE_INSIGHTS".into(),
            granularity: "PT1H".into(),
            columns: vec!["OCCUPANCY_MEAN".into(), "OCCUPANCY_MAX".into()],
            rows: vec![InsightRow {
                start_utc: t,
                start_local: to_local(t, chrono_tz::America::Chicago),
                date_partition: 20250701,
                building_id: 71,
                site_id: Some(900000222),
                zone_id: None,
                zone_type: Some("=cmd,x".into()),
                values: vec![Some(1.5), None],
            }],
            group_id: None,
            notice: None,
            requests: 1,
            chunks: 1,
            source: Default::default(),
        };
        // What the window receives: camelCase, both times, the zone.
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["timeZone"], "America/Chicago");
        assert_eq!(json["rows"][0]["startLocal"], "2025-07-01T00:00:00-05:00");
        assert_eq!(json["rows"][0]["startUtc"], "2025-07-01T05:00:00Z");
        assert_eq!(json["rows"][0]["values"], serde_json::json!([1.5, null]));
        assert!(json["rows"][0].get("zoneId").is_none());

        let text = to_csv_string(&result);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "local_time,utc_time,time_zone,building_id,site_id,zone_type,OCCUPANCY_MEAN,OCCUPANCY_MAX"
        );
        assert_eq!(
            lines[1],
            "2025-07-01T00:00:00-05:00,2025-07-01T05:00:00Z,America/Chicago,71,900000222,\"'=cmd,x\",1.5,"
        );
    }
}
