//! What can go wrong when drawing.

/// Why a chart could not be drawn. Messages are for people.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("unknown time zone {0:?}: expected an IANA name such as America/Chicago")]
    UnknownTimeZone(String),
    #[error(
        "a chart of {width}×{height} pixels cannot be drawn: width must be 160 to 8000 and height 120 to 8000"
    )]
    BadSize { width: u32, height: u32 },
    #[error("at most {max} series can be compared on one chart; {given} were given")]
    TooManySeries { given: usize, max: usize },
    #[error("the chart could not be drawn: {0}")]
    Draw(String),
    #[error("the SVG could not be read for PNG export: {0}")]
    Svg(String),
    #[error("the PNG could not be encoded: {0}")]
    Png(String),
}

pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError::Draw(format!("{e:?}"))
}
