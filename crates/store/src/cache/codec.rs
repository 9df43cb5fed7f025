//! How one day's rows are kept in the database: a small binary record per row.
//!
//! The rows are stored as the service sent them (before pivoting and merging), so a view
//! rebuilt from the cache goes through exactly the same `innerspace::rows::merge`
//! as a fresh fetch and comes out identical, v1 feature columns included. Numbers are kept
//! as their IEEE bits, so they read back bit for bit; a v1 feature's JSON value is kept as
//! JSON text (serde_json is built with `float_roundtrip`, so its numbers round-trip too).
//!
//! Layout (little endian): format byte, row count (u32), then per row: start in ms (i64),
//! building (i64), a flags byte saying which optional fields follow (partition, site, zone:
//! i64; zone type, group: string), the value count (u32) with a presence byte and 8 bytes per value,
//! and for long rows the name and JSON text. Strings are a u32 length and UTF-8 bytes.
//! Binary rather than JSON: a year of hourly rows is about half the size and decodes many
//! times faster, which is most of what a repeat view costs.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::RawRow;

/// Bumped if the layout ever changes; a blob of another format reads as a miss. Format 3 adds
/// the v1 group: days kept by format 2 may hold several groups' rows without saying which,
/// so they are fetched again.
const FORMAT: u8 = 3;

const PARTITION: u8 = 1;
const SITE: u8 = 2;
const ZONE: u8 = 4;
const ZONE_TYPE: u8 = 8;
const NAMED: u8 = 16;
const GROUP: u8 = 32;

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

pub fn encode(rows: &[RawRow]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + rows.len() * 48);
    out.push(FORMAT);
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    for r in rows {
        out.extend_from_slice(&r.start.timestamp_millis().to_le_bytes());
        out.extend_from_slice(&r.building_id.to_le_bytes());
        let mut flags = 0;
        for (present, bit) in [
            (r.partition.is_some(), PARTITION),
            (r.site_id.is_some(), SITE),
            (r.zone_id.is_some(), ZONE),
            (r.zone_type.is_some(), ZONE_TYPE),
            (r.named.is_some(), NAMED),
            (r.group_id.is_some(), GROUP),
        ] {
            if present {
                flags |= bit;
            }
        }
        out.push(flags);
        for n in [r.partition, r.site_id, r.zone_id].into_iter().flatten() {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for t in [&r.zone_type, &r.group_id].into_iter().flatten() {
            put_str(&mut out, t);
        }
        out.extend_from_slice(&(r.values.len() as u32).to_le_bytes());
        for v in &r.values {
            match v {
                Some(x) => {
                    out.push(1);
                    out.extend_from_slice(&x.to_bits().to_le_bytes());
                }
                None => out.push(0),
            }
        }
        if let Some((name, value)) = &r.named {
            put_str(&mut out, name);
            put_str(&mut out, &value.to_string());
        }
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

/// The rows of a blob, or `None` when it is unreadable (then the day counts as missing).
pub fn decode(blob: &[u8]) -> Option<Vec<RawRow>> {
    let mut r = Reader { bytes: blob };
    if r.u8()? != FORMAT {
        return None;
    }
    let count = r.u32()? as usize;
    // A damaged count must not allocate gigabytes: every row takes at least 21 bytes.
    let mut rows = Vec::with_capacity(count.min(blob.len() / 21));
    for _ in 0..count {
        let start = DateTime::<Utc>::from_timestamp_millis(r.i64()?)?;
        let building_id = r.i64()?;
        let flags = r.u8()?;
        let mut opt = |bit: u8| -> Option<Option<i64>> {
            if flags & bit != 0 {
                r.i64().map(Some)
            } else {
                Some(None)
            }
        };
        let partition = opt(PARTITION)?;
        let site_id = opt(SITE)?;
        let zone_id = opt(ZONE)?;
        let mut text = |bit: u8| -> Option<Option<String>> {
            if flags & bit != 0 {
                r.string().map(Some)
            } else {
                Some(None)
            }
        };
        let zone_type = text(ZONE_TYPE)?;
        let group_id = text(GROUP)?;
        let n = r.u32()? as usize;
        let mut values = Vec::with_capacity(n.min(r.bytes.len()));
        for _ in 0..n {
            values.push(match r.u8()? {
                0 => None,
                1 => Some(f64::from_bits(r.i64()? as u64)),
                _ => return None,
            });
        }
        let named = if flags & NAMED != 0 {
            let name = r.string()?;
            let value: Value = serde_json::from_str(&r.string()?).ok()?;
            Some((name, value))
        } else {
            None
        };
        rows.push(RawRow {
            start,
            partition,
            building_id,
            site_id,
            zone_id,
            zone_type,
            group_id,
            values,
            named,
        });
    }
    r.bytes.is_empty().then_some(rows)
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
                group_id: None,
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
                group_id: Some("all-1".into()),
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
            assert_eq!(a.group_id, b.group_id);
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
