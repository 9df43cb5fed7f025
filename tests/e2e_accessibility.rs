//! End to end: axe-core (pinned in package.json, installed by the test command's `npm ci`) runs
//! in the real window over every view with data loaded (Insights with each of its tabs, the
//! portfolio loaded, Live, Credentials, Settings), in the light and the dark theme, and finds
//! no violation (issue 27). The views and tabs are read from the page, so a new one is covered
//! without touching this test (a view that needs a click for its data says so in `with_data`).

mod support;

use fantoccini::{Client, Locator};
use support::*;

/// axe-core's browser build, from the pinned npm package.
fn axe_source() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the test command installs it with `npm ci`",
            path.display()
        )
    })
}

/// Runs axe on the whole document and returns its violations as readable lines (rule, impact,
/// help and the first elements it names), none when the page is clean.
async fn violations(app: &Client, axe: &str, place: &str) -> Vec<String> {
    // Injected once per page: the script defines `window.axe`.
    app.execute(
        &format!("if (!window.axe) {{ {axe} }} return true;"),
        vec![],
    )
    .await
    .unwrap();
    let found = app
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { resultTypes: ["violations"] })
                 .then((r) => done(r.violations.map((v) =>
                   `${v.id} (${v.impact}): ${v.help}: ` +
                   v.nodes.slice(0, 4).map((n) => n.target.join(" ") + (n.failureSummary ? ` [${n.failureSummary.replace(/\s+/g, " ")}]` : "")).join("; "))))
                 .catch((e) => done([`axe failed: ${e}`]));"#,
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .map(|list| {
            list.iter()
                .map(|v| format!("{place}: {}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default()
}

/// The `data-testid`s of every element `css` matches that is on screen (views not shown stay
/// in the page, hidden), in order.
async fn testids(app: &Client, css: &str) -> Vec<String> {
    let found = app
        .execute(
            &format!(
                r#"return [...document.querySelectorAll("{css}")]
                     .filter((el) => el.getClientRects().length > 0)
                     .map((el) => el.dataset.testid).filter(Boolean);"#
            ),
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap_or_default()
}

/// Waits until the page has settled after a click: no progress bar, no chart still loading.
async fn settled(app: &Client) {
    wait_gone(app, "[data-testid=fetch-progress]").await;
    wait_gone(app, "[data-testid=chart-loading]").await;
}

/// Brings data into a view that needs a click for it (the portfolio's Load), and waits for it.
async fn with_data(app: &Client, nav: &str) {
    match nav {
        "nav-insights" => {
            wait_for_text(app, "[data-testid=result-summary]", "rows").await;
        }
        "nav-portfolio" => {
            if app
                .find_all(Locator::Css("[data-testid=portfolio-row]"))
                .await
                .unwrap()
                .is_empty()
            {
                click(app, "[data-testid=portfolio-load]").await;
            }
            wait_for(app, "[data-testid=portfolio-row]").await;
        }
        "nav-credentials" => {
            // A tested card (its coloured verdict, "Last tested") and the App Credentials rows.
            click(app, &in_card("Demo SpatiaFi", "test-connection")).await;
            wait_for_text(app, &in_card("Demo SpatiaFi", "last-tested"), "Last tested").await;
            if app
                .find_all(Locator::Css("[data-testid=sf-sign-in]"))
                .await
                .unwrap()
                .len()
                == 1
            {
                type_into(
                    app,
                    "[data-testid=sf-email]",
                    occudesk_sim::demo::SPATIAFI_EMAIL,
                )
                .await;
                type_into(
                    app,
                    "[data-testid=sf-password]",
                    occudesk_sim::demo::SPATIAFI_PASSWORD,
                )
                .await;
                click(app, "[data-testid=sf-sign-in]").await;
            }
            wait_for(app, "[data-testid=app-credential]").await;
        }
        "nav-live" => {
            // The demo's v1 tenant publishes zone_occupancy (v2 lists it as coming).
            pick(app, "live-connection", "demo-innerspace-v1").await;
            wait_for(app, "[data-testid=live-zone]").await;
        }
        _ => {}
    }
    settled(app).await;
}

/// Every view of the rail with its data, and each of its tabs.
async fn every_view(app: &Client, axe: &str, theme: &str) -> Vec<String> {
    let mut found = Vec::new();
    for nav in testids(app, ".nav").await {
        click(app, &format!("[data-testid={nav}]")).await;
        wait_for(app, &format!("[data-testid={nav}][aria-current=page]")).await;
        with_data(app, &nav).await;
        let tabs = testids(app, "[role=tab]").await;
        if tabs.is_empty() {
            found.extend(violations(app, axe, &format!("{theme} · {nav}")).await);
        }
        for tab in tabs {
            click(app, &format!("[data-testid={tab}]")).await;
            wait_for(app, &format!("[data-testid={tab}][aria-selected=true]")).await;
            settled(app).await;
            found.extend(violations(app, axe, &format!("{theme} · {nav} · {tab}")).await);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a desktop session: scripts/desktop-session.sh cargo test -- --ignored"]
async fn axe_finds_no_violation_in_any_view_with_data_in_either_theme() {
    let axe = axe_source();
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(data.path());
    let app = driver.launch().await;
    open_demo_building_71(&app).await;
    click(&app, "[data-testid=load-insights]").await;
    wait_for_text(&app, "[data-testid=result-summary]", "rows").await;

    let mut found = Vec::new();
    for theme in ["light", "dark"] {
        click(&app, "[data-testid=nav-settings]").await;
        pick(&app, "theme-select", theme).await;
        wait_for(&app, &format!("html[data-theme={theme}]")).await;
        found.extend(every_view(&app, &axe, theme).await);
    }
    app.close().await.unwrap();
    assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
}
