//! End to end: the Plan ahead tab in the real window on demo data: the forecast band per
//! weekday against capacity, the overflow risk following a capacity typed in, the backtest in
//! words, the chart and its figures exported through the save dialog, and a what-if of two
//! floors.

mod support;

use support::*;

/// The number in a figure's text ("130.0 places" → 130).
fn number(text: &str) -> f64 {
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number in {text:?}"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn plan_ahead_forecasts_against_a_typed_capacity_and_combines_two_floors() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    pick(&app, "pick-site", "900000222").await;
    set_range(&app, "2026-09-01", "2026-11-22").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    click(&app, "[data-testid=tab-planAhead]").await;

    // The band per weekday against the floor's capacity (97 places), from the 12 weeks up to
    // the last day loaded.
    let svg = chart_svg(&app, "chart-forecast").await;
    for needle in ["Mon", "Fri", "p10–p90", "p50", "p95", "capacity 97"] {
        assert!(
            svg.contains(needle),
            "{needle} missing from the forecast chart"
        );
    }
    wait_for_text(
        &app,
        "[data-testid=forecast-basis]",
        "12 weeks 2026-08-31 to 2026-11-22",
    )
    .await;
    assert_eq!(texts(&app, "[data-testid=forecast-row]").await.len(), 5);
    wait_for_text(&app, "[data-testid=forecast-expected]", "above 97").await;
    let words = texts(&app, "[data-testid=backtest-words]").await.join(" ");
    assert!(
        words.contains("The forecast's middle was off by")
            && words.contains("people a day; last week's value was off by")
            && words.contains("fell between p10 and p90"),
        "{words}"
    );
    // Each figure's name carries its definition.
    let title = wait_for(
        &app,
        "[data-testid=backtest-figures] dt[data-definition=mae-naive]",
    )
    .await
    .attr("title")
    .await
    .unwrap()
    .unwrap_or_default();
    assert!(title.contains("one week earlier"), "{title}");

    // The overflow risk follows the capacity as it is typed: below every peak, every day is
    // over; far above, none; nonsense is refused beside the field.
    type_into(&app, "[data-testid=forecast-capacity]", "1").await;
    wait_for_text(&app, "[data-testid=forecast-rows]", "Overflow risk above 1").await;
    wait_for_text(&app, "[data-testid=forecast-rows]", "100 % (8.0 of 8 days)").await;
    wait_for_text(
        &app,
        "[data-testid=forecast-expected]",
        "40.0 of the forecast",
    )
    .await;
    let redrawn = chart_svg(&app, "chart-forecast").await;
    assert!(
        redrawn
            .split(['<', '>'])
            .any(|text| text.trim() == "capacity 1"),
        "the chart is drawn against the capacity typed"
    );
    type_into(&app, "[data-testid=forecast-capacity]", "1000").await;
    wait_for_text(
        &app,
        "[data-testid=forecast-expected]",
        "0.0 of the forecast",
    )
    .await;
    type_into(&app, "[data-testid=forecast-capacity]", "-5").await;
    wait_for_text(&app, "[data-testid=forecast-capacity-problem]", "0 or more").await;
    type_into(&app, "[data-testid=forecast-capacity]", "45").await;
    wait_for_text(&app, "[data-testid=forecast-expected]", "above 45").await;
    assert_eq!(
        texts(&app, "[data-testid=forecast-capacity-problem]").await,
        [""]
    );
    scroll_to(&app, "[data-testid=tab-planAhead]").await;
    screenshot(&app, "plan-ahead.png").await;

    // Exported like every chart: the figures behind it (CSV) and the chart (SVG), through the
    // system's save dialog, against the capacity typed.
    let out = tempfile::tempdir().unwrap();
    let csv_path = out.path().join("forecast.csv");
    export(&app, "csv", &csv_path).await;
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.starts_with("weekday,history_days,p10,p50,p90,p95,capacity,overflow_risk"));
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert!(
        csv.lines()
            .skip(1)
            .all(|l| l.split(',').nth(6) == Some("45")),
        "{csv}"
    );
    let svg_path = out.path().join("forecast.svg");
    export(&app, "svg", &svg_path).await;
    let exported = std::fs::read_to_string(&svg_path).unwrap();
    assert!(exported.contains("capacity 45") && exported.contains("p10–p90"));

    // What if floors 1 and 2 shared one: the combined need beside the separate ones.
    click(&app, "[data-testid=what-if-pick-900000222]").await;
    click(&app, "[data-testid=what-if-pick-900000223]").await;
    click(&app, "[data-testid=what-if-combine]").await;
    wait_for_text(&app, "[data-testid=what-if-figures]", "Shared saving").await;
    assert_eq!(texts(&app, "[data-testid=what-if-space]").await.len(), 2);
    let combined = number(&texts(&app, "[data-testid=what-if-combined-need]").await[0]);
    let separate = number(&texts(&app, "[data-testid=what-if-separate-needs]").await[0]);
    let saving = number(&texts(&app, "[data-testid=what-if-shared-saving]").await[0]);
    assert!(combined <= separate, "{combined} > {separate}");
    assert_eq!(saving, separate - combined);
    let panel = texts(&app, "[data-testid=what-if]").await.join(" ");
    assert!(
        !panel.contains("null") && !panel.contains("undefined"),
        "{panel}"
    );
    scroll_to(&app, "[data-testid=backtest]").await;
    screenshot(&app, "plan-ahead-what-if.png").await;

    // Zone types of the building, the same way.
    click(&app, "[data-testid=what-if-mode-types]").await;
    click(&app, "[data-testid=what-if-pick-MEETING_ROOM]").await;
    click(&app, "[data-testid=what-if-pick-FOCUS_ROOM]").await;
    click(&app, "[data-testid=what-if-combine]").await;
    wait_for_text(&app, "[data-testid=what-if-spaces]", "Meeting room").await;
    let rows = texts(&app, "[data-testid=what-if-space]").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter().any(|r| r.starts_with("Focus room")),
        "each zone type named in words: {rows:?}"
    );

    // Another tab and back: the forecast is drawn again from what was loaded.
    click(&app, "[data-testid=tab-planning]").await;
    click(&app, "[data-testid=tab-planAhead]").await;
    chart_svg(&app, "chart-forecast").await;
    wait_for_text(&app, "[data-testid=forecast-expected]", "above").await;
}
