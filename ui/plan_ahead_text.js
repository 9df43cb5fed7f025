// Plan ahead in words: the backtest as sentences, and the rows and figures of the forecast
// and what-if tables (each figure's definition is in definitions.js). Pure: no DOM, no calls.

import { weekdayName } from "./summary.js";

/** A figure with one decimal, or a dash. */
export function people(v) {
  return v == null ? "–" : v.toFixed(1);
}

/** A share as a whole percentage, or a dash. */
export function percent(v) {
  return v == null ? "–" : `${Math.round(v * 100)} %`;
}

/**
 * The backtest in sentences: how far the forecast's middle and last week's value were off,
 * and how often the p10–p90 band held the day.
 */
export function backtestWords(b) {
  if (b.mae_p50 == null || b.mae_naive == null) {
    return [`Not enough history before ${b.from} to score a forecast of the last 8 weeks.`];
  }
  const better = b.mae_p50 < b.mae_naive
    ? "The forecast beats the naive guess on this place."
    : b.mae_p50 > b.mae_naive
      ? "Last week's value did better than the forecast here."
      : "The forecast and last week's value did equally well.";
  return [
    `The forecast's middle was off by ${people(b.mae_p50)} people a day; last week's value was off by ${people(b.mae_naive)}. ${better}`,
    `${percent(b.coverage_80)} of ${b.held_out_days} working days (${b.from} to ${b.to}) fell between p10 and p90; about 80 % means the band is honest.`,
  ];
}

/** One weekday's risk: "25 % (2.0 of 8 days)", or a dash. */
export function riskText(w, weeks) {
  if (w.overflow_risk == null) return "–";
  return `${percent(w.overflow_risk)} (${w.expected_days_above_capacity.toFixed(1)} of ${weeks} days)`;
}

/** The forecast table's rows: weekday, history days, p10, p50, p90, p95, risk, reason. */
export function forecastRows(f) {
  return f.weekdays.map((w) => [
    weekdayName(w.weekday), String(w.history_days), people(w.p10), people(w.p50), people(w.p90), people(w.p95),
    riskText(w, f.weeks), w.reason ?? "",
  ]);
}

/** The expected days above capacity in words. */
export function expectedText(f) {
  if (f.capacity == null) return "No capacity to compare with: type one.";
  if (f.expected_days_above_capacity == null) return `No weekday has enough history to forecast against ${f.capacity}.`;
  return `${f.expected_days_above_capacity.toFixed(1)} of the forecast working days (${f.forecast_from} to ${f.forecast_to}) are expected above ${f.capacity}.`;
}

/** The capacity field's value as the command takes it: a number of places, null when empty, or NaN when not one. */
export function capacityValue(text) {
  const t = String(text ?? "").trim();
  if (!t) return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 ? n : NaN;
}

/** A what-if's figures as [label, text, definition id] entries. */
export function whatIfParts(w) {
  const parts = [
    ["Combined p90 / p95 daily peak", `${people(w.p90_daily_peak)} / ${people(w.p95_daily_peak)}`, "combined-peak"],
    ["Combined need", people(w.needed_capacity), "combined-need"],
    ["Sum of separate needs", people(w.sum_of_separate_needs), "separate-needs"],
    ["Shared saving", w.shared_saving == null ? "–" : `${people(w.shared_saving)} places`, "shared-saving"],
  ];
  if (w.capacity != null) parts.push(["Days over capacity", `${w.days_over_capacity} of ${w.working_days} working days above ${w.capacity}`, "days-over-capacity"]);
  return parts;
}

/** The what-if table's rows: each space alone. */
export function spaceRows(w) {
  return w.spaces.map((s) => [s.label, String(s.working_days), people(s.p90_daily_peak), people(s.needed_capacity), people(s.capacity)]);
}

/** A forecast band's tooltip: "Mon: p50 238.0 (p10–p90 218.0–274.0, p95 274.5)". */
export function bandText(band) {
  if (band.p50 == null) return `${band.name}: no forecast`;
  return `${band.name}: p50 ${people(band.p50)} (p10–p90 ${people(band.p10)}–${people(band.p90)}, p95 ${people(band.p95)})`;
}
