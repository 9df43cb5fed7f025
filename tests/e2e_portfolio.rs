//! End to end (issue 23): the Portfolio view in the real window on demo data: load every
//! building with one progress, sort by a column either way, see the space-use scatter (per
//! building and per zone type) and the ranking by surplus, and open a building in Insights
//! over the same range.

mod support;

use support::*;

const FROM: &str = "2026-08-03";
const TO: &str = "2026-10-25";

/// The figure of `key` in each row, top to bottom ("—" for none).
async fn column(app: &fantoccini::Client, key: &str) -> Vec<String> {
    texts(
        app,
        &format!("[data-testid=portfolio-row] td[data-key={key}]"),
    )
    .await
}

fn number(text: &str) -> f64 {
    text.replace(',', "").parse().unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn portfolio_loads_sorts_draws_and_opens_a_building() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    click(&app, "[data-testid=try-demo]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;

    click(&app, "[data-testid=nav-portfolio]").await;
    pick(&app, "portfolio-connection", "demo-innerspace-v2").await;
    // The default range is the last 90 days (to yesterday); a range typed by hand here.
    set_range_in(&app, "portfolio", FROM, TO).await;
    click(&app, "[data-testid=portfolio-load]").await;
    wait_for(&app, "[data-testid=portfolio-table]").await;
    let names = texts(&app, "[data-testid=portfolio-row] th").await;
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(texts(&app, "[data-testid=row-error]").await.is_empty());

    // Sorted by surplus, largest first, by default; by name both ways.
    let surplus: Vec<f64> = column(&app, "surplus")
        .await
        .iter()
        .map(|t| number(t))
        .collect();
    assert!(surplus.windows(2).all(|w| w[0] >= w[1]), "{surplus:?}");
    click(&app, "[data-testid=sort-name]").await;
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(texts(&app, "[data-testid=portfolio-row] th").await, sorted);
    click(&app, "[data-testid=sort-name]").await;
    sorted.reverse();
    assert_eq!(texts(&app, "[data-testid=portfolio-row] th").await, sorted);
    click(&app, "[data-testid=sort-utilization_mean_pct]").await;
    let util: Vec<f64> = column(&app, "utilization_mean_pct")
        .await
        .iter()
        .map(|t| number(t))
        .collect();
    assert!(util.windows(2).all(|w| w[0] >= w[1]), "{util:?}");
    // Each utilization says where it stands against the band, in colour and in words.
    let classes = app
        .execute(
            "return [...document.querySelectorAll('td[data-key=utilization_mean_pct]')].map(td => td.className + ' ' + td.title)",
            vec![],
        )
        .await
        .unwrap();
    for c in classes.as_array().unwrap() {
        assert!(c.as_str().unwrap().contains("target band"), "{c}");
    }
    // Every heading says what its figure is, the README's sentence.
    let title = wait_for(&app, "[data-testid=sort-time_used_pct]")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        title.starts_with("Time used % (time_used_pct): "),
        "{title}"
    );
    screenshot(&app, "portfolio.png").await;

    // One point per building on the scatter; the ranking by surplus names every building.
    let scatter = chart_svg(&app, "portfolio-scatter").await;
    assert!(scatter.contains("Chicago Loop HQ") && scatter.contains("Sydney Barangaroo"));
    let bars = chart_svg(&app, "portfolio-surplus").await;
    assert!(names.iter().all(|n| bars.contains(n.as_str())));
    // The zone types of one building.
    pick(&app, "portfolio-points", "71").await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let svg = chart_svg(&app, "portfolio-scatter").await;
        if svg.contains("Space use by zone type") {
            assert!(
                svg.contains("OPEN_WORKSPACE") || svg.contains("Open"),
                "zone types named"
            );
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no zone-type scatter");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    scroll_to(&app, "[data-testid=portfolio-scatter]").await;
    screenshot(&app, "portfolio-scatter.png").await;

    // A building's name opens it in Insights, over the same range, loaded.
    click(
        &app,
        "[data-testid=portfolio-row][data-building='73'] [data-testid=open-building]",
    )
    .await;
    wait_for(&app, "body[data-shown=insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    let picked = app
        .execute(
            "return [document.querySelector('[data-testid=pick-building]').value, document.querySelector('[data-testid=range-from]').value, document.querySelector('[data-testid=range-to]').value]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(picked, serde_json::json!(["73", FROM, TO]));
}
