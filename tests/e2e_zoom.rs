//! End to end: a year by the hour reads as daily figures, and zooms to full resolution with the
//! mouse (a WebDriver drag across the chart) and with the keyboard (+, →, Home), the visible
//! range said in words; the summary figures can follow the zoom. In the real window on demo
//! data.

mod support;

use std::time::{Duration, Instant};

use fantoccini::Client;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use support::*;

const RANGE: &str = "[data-testid=chart-timeSeries] [data-testid=visible-range]";
const WRAP: &str = "[data-testid=chart-timeSeries] .chart-wrap";

/// The number of days (or hours, as a fraction of a day) the visible range text gives.
fn days_in(text: &str) -> f64 {
    let inside = text
        .rsplit_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside)
        .unwrap_or_else(|| panic!("no length in {text:?}"));
    let (n, unit) = inside.split_once(' ').expect("a number and a unit");
    let n: f64 = n.parse().expect("a number");
    if unit.starts_with("hour") {
        n / 24.0
    } else {
        n
    }
}

/// Waits until the visible range text differs from `before`, and returns it.
async fn range_changed(app: &Client, before: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = texts(app, RANGE).await.pop().unwrap_or_default();
        if !now.is_empty() && now != before {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "the visible range stayed {before:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn press(app: &Client, key: &str) {
    wait_for(app, WRAP)
        .await
        .send_keys(key)
        .await
        .unwrap_or_else(|e| panic!("key {key:?}: {e}"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_year_reads_as_days_and_zooms_with_the_mouse_and_the_keyboard() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    // A year by the hour (the granularity the window starts on).
    set_range(&app, "2025-11-24", "2026-11-22").await;
    click(&app, "[data-testid=load-insights]").await;
    // The year's chart replaces the first view's (30 days, drawn by the hour).
    let deadline = Instant::now() + Duration::from_secs(60);
    let svg = loop {
        let svg = chart_svg(&app, "chart-timeSeries").await;
        if svg.contains("Daily peak and mean, from hourly data") {
            break svg;
        }
        assert!(
            Instant::now() < deadline,
            "a year of hours never drew as daily figures"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(svg.len() < 150_000, "{} bytes", svg.len());
    let words = wait_for(
        &app,
        "[data-testid=chart-timeSeries] [data-testid=chart-image]",
    )
    .await
    .attr("alt")
    .await
    .unwrap()
    .unwrap_or_default();
    assert!(words.contains("as daily peak and mean"), "{words}");
    let whole = wait_for_text(&app, RANGE, "Showing the whole range").await;
    assert!(days_in(&whole) >= 364.0, "{whole}");
    scroll_to(&app, "[data-testid=chart-timeSeries]").await;
    screenshot(&app, "charts-year.png").await;

    // The day's range as a band, on request; off again.
    click(&app, "[data-testid=daily-range]").await;
    let deadline = Instant::now() + WAIT;
    while !chart_svg(&app, "chart-timeSeries")
        .await
        .contains(r#"class="band""#)
    {
        assert!(Instant::now() < deadline, "no band drawn");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        chart_svg(&app, "chart-timeSeries")
            .await
            .contains("Daily range (lowest mean to peak)")
    );
    click(&app, "[data-testid=daily-range]").await;
    while chart_svg(&app, "chart-timeSeries")
        .await
        .contains(r#"class="band""#)
    {
        assert!(Instant::now() < deadline, "the band stayed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Mouse: drag across a narrow band in the middle of the chart.
    let img = wait_for(
        &app,
        "[data-testid=chart-timeSeries] [data-testid=chart-image]",
    )
    .await;
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: img.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveToElement {
            element: img,
            duration: Some(Duration::from_millis(200)),
            x: 16.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        })
        // Off the chart, so no tooltip covers it in the screenshot.
        .then(PointerAction::MoveTo {
            duration: None,
            x: 1.0,
            y: 1.0,
        });
    app.perform_actions(drag)
        .await
        .expect("drag across the chart");
    let zoomed = range_changed(&app, &whole).await;
    assert!(zoomed.ends_with("of the loaded range"), "{zoomed}");
    let week = days_in(&zoomed);
    assert!((2.0..=21.0).contains(&week), "about a week: {zoomed}");
    // Drawn again at full resolution: hour by hour, not daily figures.
    let svg = chart_svg(&app, "chart-timeSeries").await;
    assert!(
        !svg.contains("Daily peak and mean"),
        "the window is drawn by the hour"
    );
    assert!(svg.contains("by hour"));
    scroll_to(&app, "[data-testid=chart-timeSeries]").await;
    screenshot(&app, "charts-zoomed-week.png").await;

    // The figures follow the zoom when asked, and the whole range is one click away.
    click(&app, "[data-testid=figures-follow-zoom]").await;
    wait_for_text(
        &app,
        "[data-testid=figures-scope]",
        "Figures for the visible range",
    )
    .await;
    click(&app, "[data-testid=figures-follow-zoom]").await;
    let deadline = Instant::now() + WAIT;
    while texts(&app, "[data-testid=figures-scope]")
        .await
        .iter()
        .any(|t| !t.is_empty())
    {
        assert!(
            Instant::now() < deadline,
            "the figures stayed on the visible range"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Keyboard: + halves the window, → moves it later, Home shows the whole range again.
    press(&app, "+").await;
    let halved = range_changed(&app, &zoomed).await;
    assert!(
        (days_in(&halved) - week / 2.0).abs() <= 1.0,
        "{zoomed} -> {halved}"
    );
    press(&app, "\u{e014}").await; // →
    let moved = range_changed(&app, &halved).await;
    assert!((days_in(&moved) - days_in(&halved)).abs() < 0.1, "{moved}");
    assert_ne!(moved, halved);
    press(&app, "\u{e011}").await; // Home
    let reset = range_changed(&app, &moved).await;
    assert!(reset.starts_with("Showing the whole range"), "{reset}");
    assert!(
        chart_svg(&app, "chart-timeSeries")
            .await
            .contains("Daily peak and mean")
    );

    // "Reset zoom" does the same as Home.
    press(&app, "+").await;
    range_changed(&app, &reset).await;
    click(&app, "[data-testid=reset-zoom]").await;
    wait_for_text(&app, RANGE, "Showing the whole range").await;
}
