//! Min/max downsampling: a long series drawn at about two points per pixel, keeping every
//! peak and trough (an average would flatten the peaks an analyst looks for).

use serde::{Deserialize, Serialize};

/// One value at a UTC instant (milliseconds since the Unix epoch). `None` (or a non-finite
/// value) is a missing period: it breaks the line.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    pub utc_ms: i64,
    pub value: Option<f64>,
}

impl Point {
    pub fn new(utc_ms: i64, value: Option<f64>) -> Self {
        Point { utc_ms, value }
    }

    /// The value when it is a real number.
    pub fn finite(&self) -> Option<f64> {
        self.value.filter(|v| v.is_finite())
    }
}

/// Reduces `points` (sorted by time) to at most `2 × buckets + 2` points.
///
/// The time span is cut into `buckets` equal slices; each slice keeps its smallest and its
/// largest value (in time order, the first on a tie), or one missing point when it holds no
/// value at all, so a gap at least a slice wide still breaks the line. The first and the last
/// point are always kept, and so are the global maximum and minimum (each is its own slice's
/// extreme). Input that is already short enough (or `buckets == 0`) comes back unchanged.
pub fn downsample_min_max(points: &[Point], buckets: usize) -> Vec<Point> {
    let n = points.len();
    if buckets == 0 || n <= 2 * buckets + 2 {
        return points.to_vec();
    }
    let (t0, t1) = (points[0].utc_ms, points[n - 1].utc_ms);
    let span = i128::from(t1) - i128::from(t0);
    let b = buckets as i128;
    let bucket_of = |i: usize, t: i64| -> usize {
        let k = if span > 0 {
            (i128::from(t) - i128::from(t0)) * b / (span + 1)
        } else {
            i as i128 * b / n as i128
        };
        k.clamp(0, b - 1) as usize
    };

    let mut keep: Vec<usize> = Vec::with_capacity(2 * buckets + 2);
    keep.push(0);
    let mut current = usize::MAX;
    let mut lo: Option<(usize, f64)> = None;
    let mut hi: Option<(usize, f64)> = None;
    let mut first_missing: Option<usize> = None;
    let flush = |keep: &mut Vec<usize>,
                 lo: Option<(usize, f64)>,
                 hi: Option<(usize, f64)>,
                 missing: Option<usize>| {
        match (lo, hi) {
            (Some((a, _)), Some((b, _))) => {
                keep.push(a.min(b));
                if a != b {
                    keep.push(a.max(b));
                }
            }
            _ => {
                if let Some(m) = missing {
                    keep.push(m);
                }
            }
        }
    };
    for (i, p) in points.iter().enumerate() {
        let k = bucket_of(i, p.utc_ms);
        if k != current {
            flush(&mut keep, lo, hi, first_missing);
            current = k;
            lo = None;
            hi = None;
            first_missing = None;
        }
        match p.finite() {
            Some(v) => {
                if lo.is_none_or(|(_, l)| v < l) {
                    lo = Some((i, v));
                }
                if hi.is_none_or(|(_, h)| v > h) {
                    hi = Some((i, v));
                }
            }
            None => {
                first_missing.get_or_insert(i);
            }
        }
    }
    flush(&mut keep, lo, hi, first_missing);
    keep.push(n - 1);
    keep.sort_unstable();
    keep.dedup();
    keep.into_iter().map(|i| points[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(n: usize) -> Vec<Point> {
        (0..n)
            .map(|i| {
                let x = i as f64;
                Point::new(i as i64 * 900_000, Some((x / 37.0).sin() * 50.0 + 60.0))
            })
            .collect()
    }

    #[test]
    fn keeps_first_last_and_global_extremes_within_the_bound() {
        let mut pts = series(35_040);
        pts[12_345].value = Some(1_000.0);
        pts[20_000].value = Some(-5.0);
        pts[0].value = Some(60.5);
        for buckets in [1, 2, 7, 100, 1_100] {
            let out = downsample_min_max(&pts, buckets);
            assert!(out.len() <= 2 * buckets + 2, "{buckets}: {}", out.len());
            assert_eq!(out[0], pts[0]);
            assert_eq!(out[out.len() - 1], pts[pts.len() - 1]);
            assert!(out.contains(&pts[12_345]));
            assert!(out.contains(&pts[20_000]));
            assert!(out.windows(2).all(|w| w[0].utc_ms < w[1].utc_ms));
        }
    }

    #[test]
    fn short_input_is_unchanged_and_empty_is_empty() {
        let pts = series(10);
        assert_eq!(downsample_min_max(&pts, 4), pts);
        assert_eq!(downsample_min_max(&pts, 0), pts);
        assert!(downsample_min_max(&[], 5).is_empty());
    }

    #[test]
    fn a_wide_gap_survives_as_a_missing_point_and_nan_is_never_an_extreme() {
        let mut pts = series(10_000);
        for p in &mut pts[4_000..6_000] {
            p.value = None;
        }
        pts[100].value = Some(f64::NAN);
        pts[101].value = Some(f64::INFINITY);
        let out = downsample_min_max(&pts, 100);
        assert!(out.len() <= 202);
        let gaps = out.iter().filter(|p| p.value.is_none()).count();
        assert!(gaps >= 1);
        assert!(!out.iter().any(|p| p.value.is_some_and(|v| !v.is_finite())));
    }

    #[test]
    fn equal_timestamps_are_bucketed_by_position() {
        let pts: Vec<Point> = (0..1000)
            .map(|i| Point::new(5, Some(f64::from(i % 17))))
            .collect();
        let out = downsample_min_max(&pts, 10);
        assert!(out.len() <= 22);
        assert!(out.iter().any(|p| p.value == Some(16.0)));
        assert!(out.iter().any(|p| p.value == Some(0.0)));
    }
}
