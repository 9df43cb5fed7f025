//! End to end: the analyst's daily loop in the real window on demo data (issue 27). Every load
//! ends in data, an empty state or an error state where the progress was; dates are checked
//! beside the date fields before anything is sent; Cancel ends the wait at once.

mod support;

use fantoccini::{Client, Locator};
use support::*;

/// Records, from inside the page, whether the progress bar was ever shown (a refused or fast
/// load can be over before WebDriver looks).
const WATCH_PROGRESS: &str = r#"
    window.__progressSeen = false;
    new MutationObserver(() => {
        if (document.querySelector("[data-testid=fetch-progress]")) window.__progressSeen = true;
    }).observe(document.body, { childList: true, subtree: true });
"#;

async fn progress_seen(app: &Client) -> bool {
    app.execute("return window.__progressSeen === true;", vec![])
        .await
        .unwrap()
        == serde_json::Value::Bool(true)
}

/// The app on demo building 71, its metrics known (the Load button is ready).
async fn start(data: &std::path::Path) -> (Driver, Client) {
    let driver = Driver::start(data);
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    wait_for(
        &app,
        "[data-testid=pick-metric] option[value=OCCUPANCY_MEAN]",
    )
    .await;
    (driver, app)
}

async fn attribute(app: &Client, css: &str, name: &str) -> Option<String> {
    wait_for(app, css).await.attr(name).await.unwrap()
}

/// Nothing is left waiting: no progress bar, no Cancel, and Load can be pressed.
async fn not_stuck(app: &Client) {
    wait_gone(app, "[data-testid=fetch-progress]").await;
    wait_gone(app, "[data-testid=cancel-fetch]").await;
    let load = wait_for(app, "[data-testid=load-insights]").await;
    assert!(load.is_enabled().await.unwrap(), "Load is disabled");
}

/// A date problem: said beside the dates, the field at fault marked, nothing sent; once the
/// dates are right the message goes and Load brings data.
async fn refused_before_sending(app: &Client, from: &str, to: &str, field: &str, needle: &str) {
    app.execute(WATCH_PROGRESS, vec![]).await.unwrap();
    set_range(app, from, to).await;
    click(app, "[data-testid=load-insights]").await;
    let said = wait_for_text(app, "[data-testid=range-problem]", needle).await;
    assert_eq!(
        attribute(app, &format!("[data-testid=range-{field}]"), "aria-invalid")
            .await
            .as_deref(),
        Some("true"),
        "{field} is not marked: {said}"
    );
    // Focus goes to the field at fault.
    let focused = app
        .execute("return document.activeElement.dataset.testid;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!(format!("range-{field}")));
    assert!(!progress_seen(app).await, "a refused range was sent");
    assert!(
        app.find_all(Locator::Css("[data-testid=load-error]"))
            .await
            .unwrap()
            .is_empty()
    );
    not_stuck(app).await;
    screenshot(
        app,
        &format!("daily-loop-{field}-{}.png", needle.replace(' ', "-")),
    )
    .await;

    set_range(app, "2026-11-02", "2026-11-08").await;
    wait_gone(app, "[data-testid=range-problem]:not(:empty)").await;
    click(app, "[data-testid=load-insights]").await;
    wait_for_text(app, "[data-testid=result-summary]", "rows").await;
    assert_eq!(
        attribute(app, &format!("[data-testid=range-{field}]"), "aria-invalid").await,
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_range_wholly_in_the_future_is_refused_beside_the_dates() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    // The calendar is pinned to 2026-11-23 (support::sim_today).
    refused_before_sending(&app, "2026-12-01", "2026-12-31", "from", "future").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_reversed_range_is_refused_beside_the_dates() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    refused_before_sending(&app, "2026-11-20", "2026-11-10", "from", "is after To").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn an_empty_date_is_refused_beside_the_dates() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    refused_before_sending(&app, "2026-11-01", "", "to", "end date").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_query_the_desk_refuses_ends_in_an_error_state_where_the_progress_was() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    // A view first, so the refusal also shows that a failed load never leaves old rows as if
    // they answered the new question.
    set_range(&app, "2026-11-02", "2026-11-08").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;

    // Eleven years at once: the Desk refuses the query with input.invalid.
    set_range(&app, "2015-01-01", "2026-11-22").await;
    click(&app, "[data-testid=load-insights]").await;
    let error = wait_for_text(&app, "[data-testid=load-error]", "Nothing was loaded").await;
    assert!(error.contains("ten years"), "{error}");
    assert_eq!(
        attribute(&app, "[data-testid=load-error]", "data-code")
            .await
            .as_deref(),
        Some("input.invalid")
    );
    assert!(
        app.find_all(Locator::Css("[data-testid=result-summary]"))
            .await
            .unwrap()
            .is_empty(),
        "old rows stayed under a failed load"
    );
    // The error is in one place: where the progress was, not also in the banner.
    assert_eq!(
        attribute(&app, "[data-testid=error-banner]", "hidden")
            .await
            .as_deref(),
        Some("true")
    );
    not_stuck(&app).await;
    screenshot(&app, "daily-loop-refused.png").await;

    // Loading again works.
    set_range(&app, "2026-11-09", "2026-11-15").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    wait_gone(&app, "[data-testid=load-error]").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn cancel_ends_the_wait_at_once_and_load_starts_again() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    // Nine years by the quarter hour: millions of rows, long enough to cancel mid-way.
    pick(&app, "pick-granularity", "PT15M").await;
    set_range(&app, "2017-12-01", "2026-11-22").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for(&app, "[data-testid=fetch-progress]").await;
    click(&app, "[data-testid=cancel-fetch]").await;
    wait_for_text(&app, "[data-testid=insights-cancelled]", "Cancelled").await;
    not_stuck(&app).await;
    assert!(
        app.find_all(Locator::Css("[data-testid=result-summary]"))
            .await
            .unwrap()
            .is_empty(),
        "a cancelled load showed rows"
    );
    screenshot(&app, "daily-loop-cancelled.png").await;

    pick(&app, "pick-granularity", "PT1H").await;
    set_range(&app, "2026-11-02", "2026-11-08").await;
    click(&app, "[data-testid=load-insights]").await;
    let summary = wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    // A week of hours: 168.
    assert!(summary.starts_with("168 rows"), "{summary}");
    wait_gone(&app, "[data-testid=insights-cancelled]").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn the_window_speaks_plain_words() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;

    // Metrics by one rule from their API name, whole (the picker is wide enough to show them).
    let metric = |name: &str| format!("[data-testid=pick-metric] option[value={name}]");
    assert_eq!(
        wait_for(&app, &metric("OCCUPANCY_MEAN"))
            .await
            .text()
            .await
            .unwrap(),
        "Average occupancy (people)"
    );
    assert_eq!(
        wait_for(&app, &metric("OCCUPANCY_PERCENT_CAPACITY_MEAN"))
            .await
            .text()
            .await
            .unwrap(),
        "Average occupancy (% of capacity)"
    );
    pick(&app, "pick-metric", "OCCUPANCY_PERCENT_CAPACITY_MEAN").await;
    let cut = app
        .execute(
            "const s = document.querySelector('[data-testid=pick-metric]'); return s.scrollWidth > s.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(cut, serde_json::Value::Bool(false), "the metric is cut off");
    pick(&app, "pick-metric", "OCCUPANCY_MEAN").await;
    // The picker says what it does: it adds a table column; the charts and figures count people.
    let said = app
        .execute(
            r#"const s = document.querySelector("[data-testid=pick-metric]");
               return [s.closest("label").querySelector(".picker-label").textContent, s.getAttribute("aria-description")];"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(said[0], "Table column");
    assert!(
        said[1]
            .as_str()
            .unwrap_or_default()
            .contains("Charts and figures always count people"),
        "{said}"
    );

    set_range(&app, "2026-10-05", "2026-10-11").await;
    click(&app, "[data-testid=load-insights]").await;
    let summary = wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    assert!(
        summary.starts_with("168 rows · Whole building · by hour · "),
        "{summary}"
    );
    assert!(summary.contains(" request"), "{summary}");
    assert!(!summary.contains("BUILDING_INSIGHTS") && !summary.contains("PT1H"));
    let svg = chart_svg(&app, "chart-timeSeries").await;
    assert!(svg.contains("Chicago Loop HQ: occupancy by hour"), "title");
    assert!(!svg.contains("(PT1H)"));

    // The table's columns are labelled; zone types read as words on Planning.
    click(&app, "[data-testid=tab-table]").await;
    wait_for(&app, "[data-testid=insight-row]").await;
    let headings = texts(&app, "[data-testid=insight-rows] th").await;
    assert!(
        headings.contains(&"Average occupancy (people)".to_owned())
            && headings.contains(&"Peak occupancy (people)".to_owned()),
        "{headings:?}"
    );
    click(&app, "[data-testid=tab-planning]").await;
    wait_for(&app, "[data-testid=zone-type-plan]").await;
    let types = texts(&app, "[data-testid=zone-type-plan] td:first-child").await;
    assert!(types.contains(&"Open workspace".to_owned()), "{types:?}");
    assert!(types.iter().all(|t| !t.contains('_')), "{types:?}");

    // A floor's chart is titled with the floor's name, as the picker shows it.
    let floor = wait_for(&app, "[data-testid=pick-site] option[value=\"900000223\"]")
        .await
        .text()
        .await
        .unwrap();
    assert!(!floor.contains("900000223"), "{floor}");
    pick(&app, "pick-site", "900000223").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", &floor).await;
    click(&app, "[data-testid=tab-timeSeries]").await;
    let svg = chart_svg(&app, "chart-timeSeries").await;
    assert!(
        svg.contains(&format!("Chicago Loop HQ, {floor}: occupancy by hour")),
        "the floor's chart is not titled {floor}"
    );
    assert!(!svg.contains("site 900000223"));
    screenshot(&app, "daily-loop-words.png").await;
    app.close().await.unwrap();
}

/// Whether the result is dimmed under "Filters changed – Load to update".
async fn stale(app: &Client) -> bool {
    app.execute(
        r#"const notice = document.querySelector("[data-testid=stale-notice]");
           const result = document.querySelector("[data-testid=result]");
           const dimmed = !!result && result.classList.contains("stale");
           const said = !!notice && !notice.hidden;
           if (dimmed !== said) throw new Error(`dimmed ${dimmed}, notice ${said}`);
           return dimmed;"#,
        vec![],
    )
    .await
    .unwrap()
        == serde_json::Value::Bool(true)
}

async fn wait_stale(app: &Client, expected: bool) {
    let deadline = std::time::Instant::now() + WAIT;
    while stale(app).await != expected {
        assert!(
            std::time::Instant::now() < deadline,
            "the result is {}dimmed",
            if expected { "not " } else { "" }
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn a_result_that_no_longer_matches_the_controls_is_dimmed_until_load() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    set_range(&app, "2026-10-05", "2026-10-11").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    assert!(!stale(&app).await);

    // Granularity, without Load: dimmed, and said.
    pick(&app, "pick-granularity", "P1D").await;
    wait_stale(&app, true).await;
    let said = wait_for_text(
        &app,
        "[data-testid=stale-notice]",
        "Filters changed – Load to update",
    )
    .await;
    assert!(said.contains("granularity"), "{said}");
    screenshot(&app, "daily-loop-stale.png").await;
    // Back as it was: the result matches again.
    pick(&app, "pick-granularity", "PT1H").await;
    wait_stale(&app, false).await;

    // Range (a preset), metric and a filter each dim the result.
    pick(&app, "range-preset", "last7").await;
    wait_stale(&app, true).await;
    set_range(&app, "2026-10-05", "2026-10-11").await;
    wait_stale(&app, false).await;
    pick(&app, "pick-metric", "OCCUPANCY_MAX").await;
    wait_stale(&app, true).await;
    pick(&app, "pick-metric", "OCCUPANCY_MEAN").await;
    wait_stale(&app, false).await;
    pick(&app, "pick-site", "900000223").await;
    wait_stale(&app, true).await;
    // The dimmed result is still the one loaded: the whole building's.
    wait_for_text(&app, "[data-testid=result-summary]", "Whole building").await;

    // Load brings the result in line with the controls.
    click(&app, "[data-testid=stale-load]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "Level").await;
    wait_stale(&app, false).await;
    app.close().await.unwrap();
}

/// The value and text of the first real option of a picker.
async fn first_option(app: &Client, testid: &str) -> (String, String) {
    let css = format!("[data-testid={testid}] option:not([value=\"\"])");
    let option = wait_for(app, &css).await;
    (
        option.attr("value").await.unwrap().unwrap(),
        option.text().await.unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn views_fit_the_granularity_and_say_which_filter_they_cannot_honour() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;

    // By day: the peak names its day, no hour of the day is offered anywhere.
    pick(&app, "pick-granularity", "P1D").await;
    set_range(&app, "2026-10-01", "2026-10-31").await;
    click(&app, "[data-testid=load-insights]").await;
    let peak = wait_for_text(&app, "[data-testid=figure-peak]", "(").await;
    assert!(
        !peak.contains(':'),
        "a daily peak with a time of day: {peak}"
    );
    let figures = wait_for(&app, "[data-testid=summary-figures]")
        .await
        .text()
        .await
        .unwrap();
    // No hour of the day (the utilization's basis, all hours by the day, is not one).
    let hours_of_day = figures.replace("Utilization (all hours)", "");
    assert!(!hours_of_day.contains("hour"), "{figures}");
    assert!(figures.contains("Utilization (all hours)"), "{figures}");
    assert!(!figures.contains("00:00"), "{figures}");
    click(&app, "[data-testid=tab-heatmap]").await;
    let reason = wait_for_text(&app, "[data-testid=tab-unfit]", "Hour").await;
    assert!(reason.contains("by day"), "{reason}");
    assert!(
        app.find_all(Locator::Css("[data-testid=chart-image]"))
            .await
            .unwrap()
            .is_empty(),
        "a heatmap was drawn by day"
    );
    for format in ["csv", "svg", "png"] {
        let button = wait_for(&app, &format!("[data-testid=export-{format}]")).await;
        assert!(!button.is_enabled().await.unwrap(), "export {format}");
    }
    screenshot(&app, "daily-loop-heatmap-by-day.png").await;

    // By week: the peak is a week.
    pick(&app, "pick-granularity", "P1W").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=figure-peak]", "(week of ").await;
    wait_for(&app, "[data-testid=tab-unfit]").await;

    // By hour the heatmap is back.
    pick(&app, "pick-granularity", "PT1H").await;
    click(&app, "[data-testid=load-insights]").await;
    chart_svg(&app, "chart-heatmap").await;

    // One zone: Compare and Planning's table by zone type are the building's, and say so.
    let (zone, name) = first_option(&app, "pick-zone").await;
    pick(&app, "pick-zone", &zone).await;
    set_range(&app, "2026-11-02", "2026-11-08").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", &name).await;
    click(&app, "[data-testid=tab-compare]").await;
    let compare = chart_svg(&app, "chart-compare").await;
    assert!(
        compare.contains(&format!("of the building, not only {name}")),
        "Compare does not say it shows the building's zones"
    );
    let ranking = chart_svg(&app, "chart-ranking").await;
    assert!(ranking.contains(&format!("not only {name}")));
    screenshot(&app, "daily-loop-compare-zone.png").await;
    click(&app, "[data-testid=tab-planning]").await;
    wait_for_text(
        &app,
        "[data-testid=plan-by-zone-type-title]",
        "whole building (not only this zone)",
    )
    .await;
    app.close().await.unwrap();
}

/// The data-testid of the element that has focus ("" for the page).
async fn focused(app: &Client) -> String {
    app.execute(
        "return document.activeElement?.dataset?.testid ?? '';",
        vec![],
    )
    .await
    .unwrap()
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Chooses `value` in a picker as the keyboard does: the select has focus, its value changes.
async fn choose_by_keyboard(app: &Client, testid: &str, value: &str) {
    wait_for(
        app,
        &format!("[data-testid={testid}] option[value=\"{value}\"]"),
    )
    .await;
    app.execute(
        &format!(
            r#"const s = document.querySelector("[data-testid={testid}]");
               s.focus();
               s.value = "{value}";
               s.dispatchEvent(new Event("change", {{ bubbles: true }}));"#
        ),
        vec![],
    )
    .await
    .unwrap();
}

/// Sends a key to the element with focus.
async fn press(app: &Client, key: fantoccini::key::Key) {
    app.active_element()
        .await
        .unwrap()
        .send_keys(&key.to_string())
        .await
        .unwrap();
}

async fn selected_tab(app: &Client) -> String {
    wait_for(app, "[role=tab][aria-selected=true]")
        .await
        .attr("data-testid")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The text alternative of the chart image inside `testid`.
async fn alt_text(app: &Client, testid: &str) -> String {
    attribute(
        app,
        &format!("[data-testid={testid}] [data-testid=chart-image]"),
        "alt",
    )
    .await
    .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn focus_stays_put_tabs_follow_the_aria_pattern_and_charts_have_words() {
    use fantoccini::key::Key;
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;

    // Choosing a building and a zone redraws the toolbar; focus stays on the picker.
    choose_by_keyboard(&app, "pick-building", "72").await;
    wait_for(
        &app,
        "[data-testid=pick-metric] option[value=OCCUPANCY_MEAN]",
    )
    .await;
    assert_eq!(focused(&app).await, "pick-building");
    choose_by_keyboard(&app, "pick-building", "71").await;
    let (zone, _) = first_option(&app, "pick-zone").await;
    choose_by_keyboard(&app, "pick-zone", &zone).await;
    wait_for(
        &app,
        &format!("[data-testid=pick-zone] option[value=\"{zone}\"]:checked"),
    )
    .await;
    // The zone's table and metrics arrive after the choice, and redraw once more.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(focused(&app).await, "pick-zone");
    choose_by_keyboard(&app, "pick-zone", "").await;

    set_range(&app, "2026-10-01", "2026-10-31").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;

    // Tabs: one tablist, each tab controls the panel, one tab in the Tab order.
    let tablist = wait_for(&app, "[role=tablist]").await;
    assert!(tablist.attr("aria-label").await.unwrap().is_some());
    let panel = wait_for(&app, "[role=tabpanel]").await;
    let panel_id = panel.attr("id").await.unwrap().unwrap();
    for tab in app.find_all(Locator::Css("[role=tab]")).await.unwrap() {
        assert_eq!(
            tab.attr("aria-controls").await.unwrap(),
            Some(panel_id.clone())
        );
    }
    assert_eq!(
        app.find_all(Locator::Css("[role=tab][tabindex=\"0\"]"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        panel.attr("aria-labelledby").await.unwrap().as_deref(),
        Some("tab-timeSeries")
    );

    // The time series in words, with its main figures.
    let words = alt_text(&app, "chart-timeSeries").await;
    assert!(
        words.starts_with(
            "Line chart of occupancy for Chicago Loop HQ by hour, 2026-10-01 to 2026-10-31: "
        ) && words.contains("Peak highest ")
            && words.contains("capacity "),
        "{words}"
    );

    // Arrows, Home and End move between tabs and show each at once; focus follows.
    app.execute(
        "document.querySelector('[data-testid=tab-timeSeries]').focus();",
        vec![],
    )
    .await
    .unwrap();
    press(&app, Key::Right).await;
    assert_eq!(selected_tab(&app).await, "tab-heatmap");
    assert_eq!(focused(&app).await, "tab-heatmap");
    let heatmap = alt_text(&app, "chart-heatmap").await;
    assert!(
        heatmap.contains("busiest ") && heatmap.contains("with a mean of "),
        "{heatmap}"
    );
    press(&app, Key::End).await;
    assert_eq!(selected_tab(&app).await, "tab-table");
    press(&app, Key::Home).await;
    assert_eq!(selected_tab(&app).await, "tab-timeSeries");
    press(&app, Key::Left).await;
    assert_eq!(selected_tab(&app).await, "tab-table");
    assert_eq!(focused(&app).await, "tab-table");

    // Enter on a tab shows it and keeps focus on it.
    app.execute(
        "document.querySelector('[data-testid=tab-compare]').focus();",
        vec![],
    )
    .await
    .unwrap();
    press(&app, Key::Enter).await;
    assert_eq!(selected_tab(&app).await, "tab-compare");
    let ranking = alt_text(&app, "chart-ranking").await;
    assert!(ranking.contains("zones; most: "), "{ranking}");
    assert!(
        alt_text(&app, "chart-compare")
            .await
            .contains("highest values: ")
    );
    assert_eq!(focused(&app).await, "tab-compare");
    press(&app, Key::Right).await;
    wait_for_text(&app, "[data-testid=plan-figures]", "Needed capacity").await;
    let plan = alt_text(&app, "chart-planning").await;
    assert!(
        plan.contains("p90 peak ") && plan.contains("Needed capacity "),
        "{plan}"
    );

    // Past Plan ahead to the table; Next there: the next page, focus still on Next.
    press(&app, Key::Right).await;
    assert_eq!(selected_tab(&app).await, "tab-planAhead");
    press(&app, Key::Right).await;
    assert_eq!(selected_tab(&app).await, "tab-table");
    wait_for_text(&app, "[data-testid=page-info]", "Rows 1–").await;
    app.execute(
        "document.querySelector('[data-testid=page-next]').focus();",
        vec![],
    )
    .await
    .unwrap();
    press(&app, Key::Enter).await;
    wait_for_text(&app, "[data-testid=page-info]", "Rows 201–").await;
    assert_eq!(focused(&app).await, "page-next");
    screenshot(&app, "daily-loop-keyboard.png").await;
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn small_things_an_empty_range_one_format_per_column() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;

    // Today alone: nothing is published yet. An empty state, which does not suggest the
    // granularity already chosen.
    let today = sim_today().to_string();
    set_range(&app, &today, &today).await;
    click(&app, "[data-testid=load-insights]").await;
    let empty = wait_for_text(&app, "[data-testid=insights-empty]", "No data").await;
    assert!(empty.contains("by hour"), "{empty}");
    assert!(
        !empty.contains("PT1H") && !empty.contains("Hour"),
        "{empty}"
    );
    wait_for_text(&app, "[data-testid=result-summary]", "0 rows").await;
    not_stuck(&app).await;
    screenshot(&app, "daily-loop-empty.png").await;

    // Each column of the table shows its numbers one way: means with two decimals, peaks
    // as whole people.
    set_range(&app, "2026-10-05", "2026-10-11").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "168 rows").await;
    click(&app, "[data-testid=tab-table]").await;
    wait_for(&app, "[data-testid=insight-row]").await;
    let columns = app
        .execute(
            r#"const heads = [...document.querySelectorAll("[data-testid=insight-rows] th")].map((th) => th.title);
               const rows = [...document.querySelectorAll("[data-testid=insight-row]")];
               return heads.map((name, i) => [name, rows.map((r) => r.children[i].textContent)]);"#,
            vec![],
        )
        .await
        .unwrap();
    let columns: Vec<(String, Vec<String>)> = serde_json::from_value(columns).unwrap();
    let column = |name: &str| {
        columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, cells)| cells.clone())
            .unwrap_or_else(|| panic!("no column {name}: {columns:?}"))
    };
    let means = column("OCCUPANCY_MEAN");
    assert!(
        means
            .iter()
            .all(|v| v.split_once('.').is_some_and(|(_, d)| d.len() == 2)),
        "{means:?}"
    );
    let peaks = column("OCCUPANCY_MAX");
    assert!(
        peaks
            .iter()
            .all(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit())),
        "{peaks:?}"
    );

    // Any heading sorts the whole table (twice: the other way), and says so (aria-sort).
    let peak_at = columns
        .iter()
        .position(|(n, _)| n == "OCCUPANCY_MAX")
        .unwrap();
    let heading = format!("[data-testid=insight-rows] th:nth-child({})", peak_at + 1);
    click(&app, &format!("{heading} button")).await;
    wait_for(&app, &format!("{heading}[aria-sort=ascending]")).await;
    click(&app, &format!("{heading} button")).await;
    wait_for(&app, &format!("{heading}[aria-sort=descending]")).await;
    let sorted: Vec<u32> = texts(
        &app,
        &format!("[data-testid=insight-row] td:nth-child({})", peak_at + 1),
    )
    .await
    .iter()
    .map(|v| v.parse().unwrap())
    .collect();
    let most = peaks
        .iter()
        .map(|v| v.parse::<u32>().unwrap())
        .max()
        .unwrap();
    assert_eq!(sorted[0], most, "the highest peak comes first");
    assert!(sorted.windows(2).all(|p| p[0] >= p[1]), "{sorted:?}");
    assert_eq!(
        attribute(&app, "[data-testid=rows-time-heading]", "aria-sort")
            .await
            .as_deref(),
        Some("none")
    );
    click(&app, "[data-testid=rows-time-heading] button").await;
    wait_for(&app, "[data-testid=rows-time-heading][aria-sort=ascending]").await;
    app.close().await.unwrap();
}

/// The README's line `- <sentence>` that starts with `label:`, as the window should show it.
fn readme_definition(label: &str) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    readme
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .find(|l| l.starts_with(&format!("{label}:")))
        .unwrap_or_else(|| panic!("README.md defines no figure {label}"))
        .to_owned()
}

/// The figure term with focus: its label, its title and the text of its aria-describedby.
async fn focused_figure(app: &Client) -> (String, String, String) {
    let got = app
        .execute(
            r#"const el = document.activeElement;
               const id = el?.getAttribute("aria-describedby");
               const desc = id ? document.getElementById(id)?.textContent ?? "" : "";
               return [el?.tagName === "DT" ? el.textContent : `not a figure: ${el?.outerHTML}`, el?.title ?? "", desc];"#,
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(got).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn figures_explain_themselves_on_hover_and_keyboard_focus() {
    use fantoccini::key::Key;
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    set_range(&app, "2026-10-05", "2026-10-11").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=figure-utilization]", "%").await;

    // Tab from the line above the figures reaches the first figure's name, which says what
    // the figure is: the README's sentence, as its title (hover) and its description.
    app.execute(
        r#"const line = document.querySelector("[data-testid=result-summary]");
           line.tabIndex = -1; line.focus();"#,
        vec![],
    )
    .await
    .unwrap();
    press(&app, Key::Tab).await;
    let (label, title, described) = focused_figure(&app).await;
    assert!(label.starts_with("Peak"), "{label}");
    assert_eq!(described, readme_definition(&label));
    assert_eq!(title, described);
    // Tab on: Mean, then Mean occupied, each with its definition.
    press(&app, Key::Tab).await;
    let (label, _, described) = focused_figure(&app).await;
    assert_eq!(label, "Mean");
    assert_eq!(described, readme_definition("Mean"));
    press(&app, Key::Tab).await;
    let (label, _, described) = focused_figure(&app).await;
    assert_eq!(label, "Mean occupied");
    assert_eq!(described, readme_definition("Mean occupied"));

    // Every figure name on screen has a definition from the README.
    let all = app
        .execute(
            r#"return [...document.querySelectorAll("[data-testid=summary-figures] dt")]
                 .map((dt) => [dt.textContent, dt.tabIndex, dt.title]);"#,
            vec![],
        )
        .await
        .unwrap();
    let all: Vec<(String, i64, String)> = serde_json::from_value(all).unwrap();
    assert!(all.iter().any(|(l, _, _)| l == "Over capacity"), "{all:?}");
    for (label, tabindex, title) in &all {
        assert_eq!(*tabindex, 0, "{label} cannot be reached by Tab");
        assert_eq!(*title, readme_definition(label), "{label}");
    }

    // Planning: the surplus or shortfall says the needed capacity includes the buffer.
    click(&app, "[data-testid=tab-planning]").await;
    wait_for_text(&app, "[data-testid=plan-figures]", "Needed capacity").await;
    let plan = app
        .execute(
            r#"return [...document.querySelectorAll("[data-testid=plan-figures] dt")]
                 .map((dt) => [dt.textContent, dt.tabIndex, dt.title]);"#,
            vec![],
        )
        .await
        .unwrap();
    let plan: Vec<(String, i64, String)> = serde_json::from_value(plan).unwrap();
    let (_, tabindex, title) = plan
        .iter()
        .find(|(l, _, _)| l == "Surplus" || l == "Shortfall")
        .unwrap_or_else(|| panic!("no surplus or shortfall: {plan:?}"));
    assert_eq!(*tabindex, 0);
    assert!(
        title.contains("needed capacity = p90 daily peak + 10 % buffer"),
        "{title}"
    );
    app.close().await.unwrap();
}

/// The utilization figure's name (its `dt`) and text.
async fn utilization(app: &Client) -> (String, String) {
    let dd = wait_for_text(app, "[data-testid=figure-utilization]", "%").await;
    let dt = app
        .execute(
            r#"return document.querySelector("[data-testid=figure-utilization]")
                 .previousElementSibling.textContent;"#,
            vec![],
        )
        .await
        .unwrap();
    (dt.as_str().unwrap_or_default().to_owned(), dd)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn utilization_is_over_office_hours_unless_settings_say_all_hours_and_its_name_says_which() {
    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    set_range(&app, "2026-10-05", "2026-10-11").await;
    click(&app, "[data-testid=load-insights]").await;
    let (office_label, office) = utilization(&app).await;
    assert_eq!(office_label, "Utilization (office hours)");

    click(&app, "[data-testid=nav-settings]").await;
    // Each choice reads whole in the picker.
    wait_for(
        &app,
        "[data-testid=utilization-basis] option[value=allHours]",
    )
    .await;
    let cut = app
        .execute(
            r#"const s = document.querySelector("[data-testid=utilization-basis]");
               // A select is as wide as its longest choice unless its max-width clamps it.
               return s.getBoundingClientRect().width >= parseFloat(getComputedStyle(s).maxWidth);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(cut, serde_json::Value::Bool(false), "a basis is cut off");
    pick(&app, "utilization-basis", "allHours").await;
    wait_for_text(&app, "[data-testid=utilization-basis-status]", "Saved").await;
    click(&app, "[data-testid=nav-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let (all_label, all) = loop {
        let (label, text) = utilization(&app).await;
        if label != office_label || std::time::Instant::now() > deadline {
            break (label, text);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(all_label, "Utilization (all hours)");
    // Nights and weekends are nearly empty: the office-hours figure is the larger one.
    let pct = |t: &str| t.split(' ').next().unwrap().parse::<f64>().unwrap();
    assert!(
        pct(&office) > pct(&all),
        "office hours {office}, all hours {all}"
    );
    // Its definition on hover is the README's all-hours sentence.
    let title = app
        .execute(
            r#"return document.querySelector("[data-testid=figure-utilization]")
                 .previousElementSibling.title;"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        title,
        serde_json::json!(readme_definition("Utilization (all hours)"))
    );
    app.close().await.unwrap();
}

/// The value of the select marked `testid`.
async fn chosen(app: &Client, testid: &str) -> String {
    wait_for(app, &format!("[data-testid={testid}]"))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn the_next_start_reopens_the_last_view_with_its_controls_and_loads_it() {
    let data = tempfile::tempdir().unwrap();
    let (driver, app) = start(data.path()).await;
    let (site, _) = first_option(&app, "pick-site").await;
    pick(&app, "pick-site", &site).await;
    // Last month: days long published, which the cache keeps as final.
    pick(&app, "range-preset", "lastMonth").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    click(&app, "[data-testid=tab-planning]").await;
    wait_for_text(&app, "[data-testid=plan-figures]", "Needed capacity").await;
    let before = wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    app.close().await.unwrap();
    drop(driver);

    // The next morning's start: no click, the same view, loaded (its days from the cache).
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    let after = wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    assert_eq!(chosen(&app, "pick-connection").await, "demo-innerspace-v2");
    assert_eq!(chosen(&app, "pick-building").await, "71");
    assert_eq!(chosen(&app, "pick-site").await, site);
    assert_eq!(chosen(&app, "range-preset").await, "lastMonth");
    assert_eq!(selected_tab(&app).await, "tab-planning");
    wait_for_text(&app, "[data-testid=plan-figures]", "Needed capacity").await;
    // The same rows: the place, range and count read the same.
    let words = |s: &str| s.split(" · ").take(3).collect::<Vec<_>>().join(" · ");
    assert_eq!(words(&after), words(&before), "{before} | {after}");
    assert!(after.contains("cache"), "not from the cache: {after}");
    app.close().await.unwrap();
}

/// A stand-in for the desktop's file manager on the test session's D-Bus: it records the
/// files it is asked to show.
struct FakeFileManager(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

#[zbus::interface(name = "org.freedesktop.FileManager1")]
impl FakeFileManager {
    fn show_items(&self, uris: Vec<String>, _startup_id: &str) {
        self.0.lock().unwrap().extend(uris);
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn an_export_says_where_it_was_saved_and_shows_it_in_its_folder() {
    let shown = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let _file_manager = zbus::connection::Builder::session()
        .unwrap()
        .name("org.freedesktop.FileManager1")
        .unwrap()
        .serve_at(
            "/org/freedesktop/FileManager1",
            FakeFileManager(shown.clone()),
        )
        .unwrap()
        .build()
        .await
        .unwrap();

    let data = tempfile::tempdir().unwrap();
    let (_driver, app) = start(data.path()).await;
    set_range(&app, "2026-10-05", "2026-10-11").await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("week.csv");
    export(&app, "csv", &csv).await;
    click(&app, "[data-testid=show-in-folder]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while shown.lock().unwrap().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the file manager was never asked"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = format!("file://{}", csv.display());
    assert_eq!(*shown.lock().unwrap(), vec![url]);
    assert!(
        app.find_all(Locator::Css("[data-testid=error-banner]:not([hidden])"))
            .await
            .unwrap()
            .is_empty()
    );

    // The window cannot send the file manager anywhere else: only files the app saved.
    let refused = app
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               window.__TAURI__.core.invoke("show_in_folder", { path: "/etc/passwd" })
                 .then(() => done("shown"), (e) => done(e.message ?? String(e)));"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(
        refused
            .as_str()
            .unwrap_or_default()
            .contains("Only a file this app saved"),
        "{refused}"
    );
    assert_eq!(shown.lock().unwrap().len(), 1);
    app.close().await.unwrap();
}
