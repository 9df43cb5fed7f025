//! `forecast` and `whatif`: the Plan ahead figures, printed.

use chrono::NaiveDate;
use occudesk_core::insights::forecast::Forecast;
use occudesk_core::insights::whatif::WhatIf;
use occudesk_core::{Desk, Error, ForecastOptions, Result, SpaceRef, WhatIfRequest};

use crate::args::{ForecastArgs, Report, ScopeArgs, WhatIfArgs};
use crate::insights::{
    figure, finish_progress, print_json, progress_bar, query_of, show_progress, weekday_name,
};
use crate::table::print_table;

pub const FORECAST_HELP: &str = "\
Figures (JSON keys), per ISO weekday 1-5 (weekdays[]): the history is that weekday's daily peaks
over the last --history-weeks weeks up to --as-of, closed days (peak 0) and unusual days
(as `anomalies` flags them) left out; p10, p50, p90, p95 = its percentiles (linear
interpolation, as numpy), only with at least 6 history days (else `reason` says why);
overflow_risk = the share of history days with a peak above --capacity;
expected_days_above_capacity = overflow_risk x --weeks (and its sum over the weekdays).
backtest: the last 8 weeks forecast from the --history-weeks weeks before them;
coverage_80 = share of those working days whose peak lies in [p10, p90]; mae_p50 = mean
absolute error of p50; mae_naive = the same for the weekday's peak one week earlier.

Example:
  occudesk-cli --demo forecast --connection \"Demo InnerSpace (v2)\" --building 71 --capacity 120 --format json";

pub const WHATIF_HELP: &str = "\
Figures (JSON keys): the combined series is, for each hour, the sum of OCCUPANCY_MEAN over the
spaces (on UTC instants; hours not every space has are left out, hours_left_out); its daily
peaks are taken in the first space's time zone. p90_daily_peak, p95_daily_peak over working
days; needed_capacity = ceil(p90_daily_peak x (1 + buffer)); days_over_capacity = working days
whose combined peak is above --capacity; spaces[] = each space planned alone on the same basis;
sum_of_separate_needs = the sum of their needed_capacity; shared_saving =
sum_of_separate_needs - needed_capacity.

Examples:
  occudesk-cli --demo whatif --connection \"Demo InnerSpace (v2)\" --building 71 --site 900000222 --site 900000223 --from 2026-09-01 --to 2026-11-30
  occudesk-cli --demo whatif --connection \"Demo InnerSpace (v2)\" --buildings 71,72 --capacity 400 --from 2026-09-01 --to 2026-11-30 --format json";

pub async fn forecast(desk: &Desk, args: ForecastArgs) -> Result<()> {
    let scope = ScopeArgs {
        connection: args.connection,
        building: args.building,
        site: args.site,
        zone: args.zone,
        zone_type: args.zone_type,
        group: args.group,
        // The forecast sets the range from --as-of and --history-weeks.
        from: NaiveDate::default(),
        to: NaiveDate::default(),
    };
    let granularity = occudesk_core::innerspace::Granularity::Pt1h;
    let (connection_id, query) = query_of(desk, scope, None, granularity, Vec::new())?;
    let options = ForecastOptions {
        as_of: args.as_of,
        weeks: Some(args.weeks),
        history_weeks: Some(args.history_weeks),
        capacity: args.capacity,
    };
    let bar = progress_bar();
    let loaded = desk
        .open_forecast(&connection_id, &query, &options, "cli", |p| {
            show_progress(&bar, p)
        })
        .await;
    finish_progress(bar);
    let loaded = loaded?;
    match args.format {
        Report::Json => print_json(&loaded.forecast),
        Report::Text => {
            print_forecast(&loaded.forecast);
            Ok(())
        }
    }
}

fn print_forecast(f: &Forecast) {
    let n = figure;
    println!(
        "Daily peaks forecast for {} to {} ({} weeks), from {} to {} ({} weeks of history; left out: {} closed and {} unusual working days)",
        f.forecast_from,
        f.forecast_to,
        f.weeks,
        f.history_from,
        f.history_to,
        f.history_weeks,
        f.closed_days,
        f.anomaly_days
    );
    let above = f
        .capacity
        .map_or("ABOVE CAPACITY".to_owned(), |c| format!("ABOVE {c}"));
    let rows = f
        .weekdays
        .iter()
        .map(|w| {
            let risk = match (w.overflow_risk, w.expected_days_above_capacity) {
                (Some(r), Some(e)) => format!("{:.0} % ({e:.1} of {} days)", r * 100.0, f.weeks),
                _ => "—".to_owned(),
            };
            vec![
                weekday_name(w.weekday).to_owned(),
                w.history_days.to_string(),
                n(w.p10),
                n(w.p50),
                n(w.p90),
                n(w.p95),
                risk,
                w.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_table(
        &["DAY", "HISTORY", "P10", "P50", "P90", "P95", &above, ""],
        rows,
    );
    if let Some(c) = f.capacity {
        println!(
            "Expected forecast days above {c}: {}",
            n(f.expected_days_above_capacity)
        );
    }
    let b = &f.backtest;
    println!(
        "Backtest: {} to {} forecast from {} to {}, {} working days scored.",
        b.from, b.to, b.history_from, b.history_to, b.held_out_days
    );
    match (b.mae_p50, b.mae_naive, b.coverage_80) {
        (Some(p50), Some(naive), Some(coverage)) => println!(
            "The forecast's middle was off by {p50:.1} people a day; last week's value was off by {naive:.1}. {:.0} % of the days fell between p10 and p90 (80 % would be calibrated).",
            coverage * 100.0
        ),
        _ => println!("Not enough history before the last 8 weeks to score a forecast."),
    }
}

pub async fn what_if(desk: &Desk, args: WhatIfArgs) -> Result<()> {
    let connection_id = desk.find_connection(&args.connection)?.id;
    let spaces: Vec<SpaceRef> = if !args.buildings.is_empty() {
        args.buildings
            .iter()
            .map(|b| SpaceRef::Building(*b))
            .collect()
    } else if !args.sites.is_empty() {
        args.sites.iter().map(|s| SpaceRef::Site(*s)).collect()
    } else {
        args.zone_types
            .iter()
            .map(|t| SpaceRef::ZoneType(t.clone()))
            .collect()
    };
    if spaces.is_empty() {
        return Err(Error::invalid(
            "spaces",
            "Name what to combine: --site (repeat), --zone-type (repeat) or --buildings 71,72.",
        ));
    }
    let request = WhatIfRequest {
        building_id: args.building,
        spaces,
        group_id: args.group,
        from: args.from,
        to: args.to,
        buffer: args.buffer,
        capacity: args.capacity,
    };
    let bar = progress_bar();
    let result = desk
        .what_if(&connection_id, &request, "cli", |p| show_progress(&bar, p))
        .await;
    finish_progress(bar);
    let w = result?;
    match args.format {
        Report::Json => print_json(&w),
        Report::Text => {
            print_what_if(&w, args.from, args.to);
            Ok(())
        }
    }
}

fn print_what_if(w: &WhatIf, from: NaiveDate, to: NaiveDate) {
    let n = figure;
    println!(
        "Combined, {from} to {to} (daily peaks in {}): {} working days; p90 daily peak {}, p95 {}; needed capacity {} (p90 + {:.0} %)",
        w.time_zone,
        w.working_days,
        n(w.p90_daily_peak),
        n(w.p95_daily_peak),
        n(w.needed_capacity),
        w.buffer * 100.0
    );
    if let (Some(c), Some(days)) = (w.capacity, w.days_over_capacity) {
        println!("Working days above a capacity of {c}: {days}");
    }
    if w.hours_left_out > 0 {
        println!(
            "{} hours that only some of the spaces have were left out.",
            w.hours_left_out
        );
    }
    let rows = w
        .spaces
        .iter()
        .map(|s| {
            vec![
                s.label.clone(),
                s.working_days.to_string(),
                n(s.p90_daily_peak),
                n(s.needed_capacity),
                n(s.capacity),
            ]
        })
        .collect();
    println!("Separately:");
    print_table(
        &[
            "SPACE",
            "WORKING DAYS",
            "P90 DAILY PEAK",
            "NEEDED",
            "CAPACITY",
        ],
        rows,
    );
    println!(
        "Sum of separate needs {}; combined need {}; shared saving {} places.",
        n(w.sum_of_separate_needs),
        n(w.needed_capacity),
        n(w.shared_saving)
    );
}
