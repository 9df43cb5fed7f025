//! PNG export: the same SVG, rendered by resvg with the system's fonts.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::ChartError;
use crate::theme::check_size;

/// The system fonts, loaded once. The charts ask for the generic `sans-serif` family;
/// it is mapped to DejaVu Sans (or another sans face) when the fontdb default is missing.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let families: Vec<String> = db
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .collect();
        let preferred = [
            "DejaVu Sans",
            "Liberation Sans",
            "Noto Sans",
            "Arial",
            "Helvetica",
        ];
        if let Some(name) = preferred
            .iter()
            .find(|p| families.iter().any(|f| f == *p))
            .map(|s| s.to_string())
            .or_else(|| families.first().cloned())
        {
            db.set_sans_serif_family(name);
        }
        Arc::new(db)
    })
    .clone()
}

/// Renders an SVG to a PNG of exactly `width × height` pixels. The drawing is scaled to fit
/// (keeping its aspect ratio) and centred; uncovered pixels are transparent.
pub fn svg_to_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    check_size(width, height)?;
    let opt = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| ChartError::Svg(e.to_string()))?;
    let mut pixmap = Pixmap::new(width, height)
        .ok_or_else(|| ChartError::Png(format!("no {width}×{height} canvas")))?;
    let size = tree.size();
    let (sw, sh) = (size.width(), size.height());
    let scale = (width as f32 / sw).min(height as f32 / sh);
    let (dx, dy) = (
        (width as f32 - sw * scale) / 2.0,
        (height as f32 - sh * scale) / 2.0,
    );
    let transform = Transform::from_row(scale, 0.0, 0.0, scale, dx, dy);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Png(e.to_string()))
}
