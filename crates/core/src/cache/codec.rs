//! How one day's rows are kept in the database: a compact JSON array of tuples.
//!
//! The rows are stored as the service sent them (before pivoting and merging), so a view
//! rebuilt from the cache goes through exactly the same [`crate::innerspace::rows::merge`]
//! as a fresh fetch and comes out identical, v1 feature columns included. serde_json is
//! built with `float_roundtrip`, so every number reads back bit for bit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::innerspace::rows::RawRow;

/// Bumped if the tuple below ever changes; a blob of another version reads as a miss.
const FORMAT: u8 = 1;

#[derive(Serialize, Deserialize)]
struct Stored(
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Vec<Option<f64>>,
    Option<(String, Value)>,
);

#[derive(Serialize)]
struct BlobOut<'a>(u8, &'a [Stored]);

#[derive(Deserialize)]
struct BlobIn(u8, Vec<Stored>);

pub fn encode(rows: &[RawRow]) -> Vec<u8> {
    let stored: Vec<Stored> = rows
        .iter()
        .map(|r| {
            Stored(
                r.start.timestamp_millis(),
                r.partition,
                r.building_id,
                r.site_id,
                r.zone_id,
                r.zone_type.clone(),
                r.values.clone(),
                r.named.clone(),
            )
        })
        .collect();
    // Serialising plain numbers, strings and JSON values cannot fail.
    serde_json::to_vec(&BlobOut(FORMAT, &stored)).unwrap_or_default()
}

/// The rows of a blob, or `None` when it is unreadable (then the day counts as missing).
pub fn decode(blob: &[u8]) -> Option<Vec<RawRow>> {
    let BlobIn(format, stored) = serde_json::from_slice(blob).ok()?;
    if format != FORMAT {
        return None;
    }
    stored
        .into_iter()
        .map(|s| {
            Some(RawRow {
                start: DateTime::<Utc>::from_timestamp_millis(s.0)?,
                partition: s.1,
                building_id: s.2,
                site_id: s.3,
                zone_id: s.4,
                zone_type: s.5,
                values: s.6,
                named: s.7,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_bit_for_bit() {
        let start = DateTime::<Utc>::from_timestamp_millis(1_735_711_200_000).unwrap();
        let rows = vec![
            RawRow {
                start,
                partition: Some(20250101),
                building_id: 71,
                site_id: Some(900000222),
                zone_id: None,
                zone_type: Some("MEETING_ROOM".into()),
                values: vec![
                    Some(0.1 + 0.2),
                    None,
                    Some(1e-300),
                    Some(12.345_678_901_234_5),
                ],
                named: None,
            },
            RawRow {
                start,
                partition: None,
                building_id: 71,
                site_id: None,
                zone_id: Some(7),
                zone_type: None,
                values: vec![],
                named: Some((
                    "weekly_frequency_dist".into(),
                    serde_json::json!({"1": 0.30000000000000004, "2": 0.1}),
                )),
            },
        ];
        let back = decode(&encode(&rows)).unwrap();
        assert_eq!(back.len(), 2);
        for (a, b) in rows.iter().zip(&back) {
            assert_eq!(a.start, b.start);
            assert_eq!(a.partition, b.partition);
            assert_eq!((a.site_id, a.zone_id), (b.site_id, b.zone_id));
            assert_eq!(a.zone_type, b.zone_type);
            let bits =
                |v: &[Option<f64>]| v.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
            assert_eq!(bits(&a.values), bits(&b.values));
            assert_eq!(a.named, b.named);
        }
        assert!(decode(b"garbage").is_none());
        assert!(
            decode(b"[2,[]]").is_none(),
            "another format version is a miss"
        );
    }
}
