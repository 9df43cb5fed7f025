//! SVG written by hand where plotters would write too much: one `<path>` per series (plotters
//! writes a `<polyline>` per run and cannot dash a long line cheaply), bands, marker ticks with
//! their `<title>`, and the legend. Appended to plotters' SVG just before `</svg>`.

use std::fmt::Write;

use plotters::style::RGBColor;

use crate::draw::FONT;
use crate::theme::LineStyle;

/// Text content or an attribute value, escaped for SVG or HTML (the report puts names in both).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

fn colour(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The stroke attributes of a line style in a colour.
fn stroke(c: RGBColor, style: LineStyle) -> String {
    let dash = style
        .dash
        .map(|d| format!(r#" stroke-dasharray="{d}""#))
        .unwrap_or_default();
    format!(
        r#"fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round"{dash}"#,
        colour(c),
        style.width
    )
}

/// Runs of pixel points (a gap between runs breaks the line) as one path's `d`; a run of one
/// point is a dot (a tiny closed circle), since a line of one point would not show.
pub(crate) fn runs_to_d(runs: &[Vec<(i32, i32)>]) -> String {
    let mut d = String::new();
    for run in runs {
        match run.as_slice() {
            [] => {}
            [(x, y)] => {
                let _ = write!(d, "M{},{}a2,2 0 1,0 4,0a2,2 0 1,0 -4,0", x - 2, y);
            }
            [(x, y), rest @ ..] => {
                let _ = write!(d, "M{x},{y}L");
                for (i, (x, y)) in rest.iter().enumerate() {
                    if i > 0 {
                        d.push(' ');
                    }
                    let _ = write!(d, "{x},{y}");
                }
            }
        }
    }
    d
}

/// One series as one `<path>`, named by `data-series` so it can be found again.
pub(crate) fn series_path(
    name: &str,
    runs: &[Vec<(i32, i32)>],
    c: RGBColor,
    style: LineStyle,
) -> String {
    format!(
        r#"<path class="series" data-series="{}" d="{}" {}/>"#,
        escape(name),
        runs_to_d(runs),
        stroke(c, style)
    ) + "\n"
}

/// A horizontal reference line (capacity) across `x0..x1` at `y`.
pub(crate) fn reference_path(
    name: &str,
    x0: i32,
    x1: i32,
    y: i32,
    c: RGBColor,
    style: LineStyle,
) -> String {
    format!(
        r#"<path class="reference" data-series="{}" d="M{x0},{y}H{x1}" {}/>"#,
        escape(name),
        stroke(c, style)
    ) + "\n"
}

/// A filled band between a high and a low edge, per run of columns `(x, y_high, y_low)`.
pub(crate) fn band_path(name: &str, runs: &[Vec<(i32, i32, i32)>], c: RGBColor) -> String {
    let mut d = String::new();
    for run in runs.iter().filter(|r| r.len() > 1) {
        for (i, (x, hi, _)) in run.iter().enumerate() {
            let _ = write!(d, "{}{x},{hi}", if i == 0 { "M" } else { "L" });
        }
        for (x, _, lo) in run.iter().rev() {
            let _ = write!(d, "L{x},{lo}");
        }
        d.push('Z');
    }
    format!(
        r#"<path class="band" data-series="{}" d="{d}" fill="{}" fill-opacity="0.22" stroke="none"/>"#,
        escape(name),
        colour(c)
    ) + "\n"
}

/// A small tick pointing up at the x axis from below, explained by its `<title>` on hover.
pub(crate) fn marker_tick(x: i32, axis_y: i32, label: &str, c: RGBColor) -> String {
    format!(
        r#"<g class="marker"><title>{}</title><polygon points="{x},{axis_y} {},{} {},{}" fill="{}"/></g>"#,
        escape(label),
        x - 5,
        axis_y + 9,
        x + 5,
        axis_y + 9,
        colour(c)
    ) + "\n"
}

/// What a legend entry shows: a line sample, or a filled swatch for a band.
pub(crate) enum Sample {
    Line(RGBColor, LineStyle),
    Swatch(RGBColor),
}

/// A legend row at the top right of the plot: `right` is its right edge, `y` its middle.
pub(crate) fn legend(entries: &[(String, Sample)], right: i32, y: i32, text: RGBColor) -> String {
    const SAMPLE: i32 = 26;
    const GAP: i32 = 14;
    let widths: Vec<i32> = entries
        .iter()
        .map(|(name, _)| SAMPLE + 6 + crate::draw::text_width(name, 12) + GAP)
        .collect();
    let mut x = right - widths.iter().sum::<i32>() + GAP;
    let mut out = String::from(r#"<g class="legend">"#);
    for ((name, sample), width) in entries.iter().zip(widths) {
        match sample {
            // A <line>, so the chart's <path> elements are its series and references only.
            Sample::Line(c, style) => {
                let _ = write!(
                    out,
                    r#"<line x1="{x}" y1="{y}" x2="{}" y2="{y}" {}/>"#,
                    x + SAMPLE,
                    stroke(*c, *style)
                );
            }
            Sample::Swatch(c) => {
                let _ = write!(
                    out,
                    r#"<rect x="{x}" y="{}" width="{SAMPLE}" height="10" fill="{}" fill-opacity="0.35"/>"#,
                    y - 5,
                    colour(*c)
                );
            }
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{y}" dy="0.35em" font-family="{FONT}" font-size="12" fill="{}">{}</text>"#,
            x + SAMPLE + 6,
            colour(text),
            escape(name)
        );
        x += width;
    }
    out.push_str("</g>\n");
    out
}

/// `svg` with `extra` placed last (on top of everything plotters drew).
pub(crate) fn append(svg: &mut String, extra: &str) {
    match svg.rfind("</svg>") {
        Some(end) => svg.insert_str(end, extra),
        None => svg.push_str(extra),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_one_path_with_a_move_per_run_and_dots_for_lone_points() {
        let d = runs_to_d(&[vec![(0, 5), (1, 6), (2, 7)], vec![(9, 9)], vec![]]);
        assert_eq!(d, "M0,5L1,6 2,7M7,9a2,2 0 1,0 4,0a2,2 0 1,0 -4,0");
    }

    #[test]
    fn text_is_escaped_and_paths_are_appended_inside_the_svg() {
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
        let mut svg = String::from("<svg>\n</svg>\n");
        append(&mut svg, "<path/>");
        assert_eq!(svg, "<svg>\n<path/></svg>\n");
    }
}
