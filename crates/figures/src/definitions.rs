//! Each figure defined in one sentence, written here only: the window shows them on hover and
//! focus (they reach it through `ui/contract.js`), the report prints them beside the figures,
//! and the README carries each word for word (tests check that). Keyed by figure id.

/// `(id, sentence)`; the sentence starts with the figure's name as the window labels it.
pub const DEFINITIONS: [(&str, &str); 33] = [
    (
        "peak",
        "Peak: the most people counted at once in any period of the range, and when.",
    ),
    (
        "peak-hour-sum",
        "Peak hour (sum of zone means): for a floor or site, the busiest hour of its zones together, their average occupancies added up; a lower bound of the instantaneous peak.",
    ),
    (
        "highest-mean",
        "Highest mean (no peak column): the largest average occupancy of any period, where the data has no maximum.",
    ),
    (
        "mean",
        "Mean: the average number of people present per period, over every period of the range (nights, weekends and closed days included).",
    ),
    (
        "mean-occupied",
        "Mean occupied: the same average over only the periods when anyone was present (an average above 0).",
    ),
    (
        "capacity",
        "Capacity: the zone's capacity, or for a building, floor or site the sum over its zones.",
    ),
    (
        "utilization",
        "Utilization (all hours): the mean as a percentage of capacity, over all hours of every day in the range; in brackets, the peak as a percentage of capacity.",
    ),
    (
        "utilization-office-hours",
        "Utilization (office hours): the mean over the periods that start 08:00–18:00 on Monday to Friday, building time, as a percentage of capacity; in brackets, the peak as a percentage of capacity.",
    ),
    (
        "busiest-hour-of-the-week",
        "Busiest hour of the week: the weekday and hour, in building time, with the highest average occupancy.",
    ),
    (
        "busiest-weekday",
        "Busiest weekday: the weekday with the highest average occupancy.",
    ),
    (
        "over-capacity",
        "Over capacity: the share of the range's periods whose peak was above capacity (more people than places).",
    ),
    (
        "plan-working-days",
        "Working days: the Monday-to-Friday days in the range whose daily peak is above 0.",
    ),
    (
        "plan-daily-peak",
        "Daily peak p50 / p90 / p95: the working days' peaks that half, 90 % and 95 % of those days stay at or below.",
    ),
    (
        "plan-needed-capacity",
        "Needed capacity: the p90 daily peak plus a buffer, rounded up (needed capacity = p90 daily peak + 10 % buffer).",
    ),
    (
        "plan-capacity",
        "Capacity (plan): the capacity of the zones planned for, summed over the building, floor, site or zone type.",
    ),
    (
        "plan-surplus",
        "Surplus: capacity minus needed capacity, so the buffer is already set aside (needed capacity = p90 daily peak + 10 % buffer); the percentage is of capacity.",
    ),
    (
        "plan-shortfall",
        "Shortfall: needed capacity minus capacity, so it includes the buffer (needed capacity = p90 daily peak + 10 % buffer); the percentage is of capacity.",
    ),
    // Plan ahead (README, "Plan ahead").
    (
        "forecast-quantiles",
        "Forecast p10 / p50 / p90 / p95: for each weekday, the daily peaks that 10 %, half, 90 % and 95 % of its history days stayed at or below (the same weekday over the last 12 weeks unless told otherwise, closed and unusual days left out; at least 6 such days, else no forecast and the reason).",
    ),
    (
        "overflow-risk",
        "Overflow risk: for each weekday, the share of its history days whose daily peak was above the capacity proposed.",
    ),
    (
        "expected-days",
        "Expected days above capacity: each weekday's overflow risk times its forecast days, added up over the weekdays with a forecast.",
    ),
    (
        "coverage-80",
        "Coverage of the p10–p90 band: in the backtest (the last 8 weeks forecast from the weeks before them), the share of working days whose peak lay between p10 and p90; about 80 % means the band is honest.",
    ),
    (
        "mae-p50",
        "Error of the forecast's middle: in the backtest, the mean absolute difference between each working day's peak and its weekday's p50.",
    ),
    (
        "mae-naive",
        "Error of last week's value: in the backtest, the mean absolute difference between each working day's peak and the same weekday's peak one week earlier, over the same days.",
    ),
    (
        "combined-peak",
        "Combined p90 / p95 daily peak: the spaces' hourly means added up on the same instants, each day's largest sum taken on the first space's calendar, then the working days' peaks that 90 % and 95 % of those days stay at or below.",
    ),
    (
        "combined-need",
        "Combined need: the combined p90 daily peak plus the buffer, rounded up (needed_capacity of the spaces together).",
    ),
    (
        "separate-needs",
        "Sum of separate needs: each space's own needed capacity, on the same hourly basis, added up.",
    ),
    (
        "shared-saving",
        "Shared saving: the sum of separate needs minus the combined need, the places saved by sharing because peaks do not coincide.",
    ),
    (
        "days-over-capacity",
        "Days over capacity (what-if): the working days whose combined daily peak was above the capacity proposed.",
    ),
    (
        "time-used",
        "Time used % (time_used_pct): the share of office-hours periods, those starting 08:00–18:00 building time on working days, with anyone present (a mean above 0).",
    ),
    (
        "fill-when-used",
        "Fill when used % (occupied_fill_pct): the mean occupied as a percentage of capacity, how full the building is while anyone is in.",
    ),
    (
        "trend",
        "Trend (trend_pts): the utilization (all hours) minus the same figure over the range of equal length just before, in percentage points.",
    ),
    (
        "days-over-target",
        "Days over target (days_over_target): the working days whose daily peak, as a percentage of capacity, is above the target band's upper bound.",
    ),
    (
        "target-band",
        "Target band: the utilization range, in whole percent, a building should stay in (60–85 % unless changed in Settings); the portfolio colours each building against it.",
    ),
];

/// The sentence defining figure `id`, or `""` for an unknown id.
pub fn definition(id: &str) -> &'static str {
    DEFINITIONS
        .iter()
        .find(|(key, _)| *key == id)
        .map_or("", |(_, sentence)| sentence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_every_sentence_names_its_figure() {
        let mut ids: Vec<&str> = DEFINITIONS.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), DEFINITIONS.len());
        for (id, sentence) in DEFINITIONS {
            let (name, rest) = sentence.split_once(": ").unwrap_or_default();
            assert!(!name.is_empty() && rest.ends_with('.'), "{id}: {sentence}");
        }
        assert_eq!(definition("nope"), "");
    }
}
