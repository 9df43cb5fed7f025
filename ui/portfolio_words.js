// The Portfolio's pure parts: its columns, sorting its rows, a utilization against the target
// band, and its progress in words (`node --test`).

/**
 * Rows sorted by `key` (the name, or a figure), `dir` 1 ascending or -1 descending; rows
 * without the figure (no capacity, or an error) always last, in name order.
 */
export function sortRows(rows, key, dir) {
  const value = (r) => (key === "name" ? r.name : r[key]);
  return [...rows].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const missing = (v) => v === null || v === undefined;
    if (missing(x) || missing(y)) {
      if (missing(x) !== missing(y)) return missing(x) ? 1 : -1;
      return a.name.localeCompare(b.name);
    }
    const order = key === "name" ? x.localeCompare(y) : x - y;
    return order * dir || a.name.localeCompare(b.name);
  });
}

/** Where a utilization stands against the band: "under", "within" or "over" (null: unknown). */
export function bandOf(pct, band) {
  if (pct === null || pct === undefined) return null;
  if (pct < band.lowPct) return "under";
  if (pct > band.highPct) return "over";
  return "within";
}

export const BAND_WORDS = { under: "below the target band", within: "within the target band", over: "above the target band" };

/** "7 of 23 buildings". */
export function progressText(p) {
  return `${p.buildingsDone} of ${p.buildingsTotal} building${p.buildingsTotal === 1 ? "" : "s"}`;
}

/** The table's columns: the figure's key, its heading, its digits and its definition's id. */
export const COLUMNS = [
  ["capacity", "Capacity", 0, "capacity"],
  ["utilization_mean_pct", "Utilization % (all hours)", 1, "utilization"],
  ["utilization_peak_pct", "Peak %", 1, "utilization"],
  ["p90_daily_peak", "p90 daily peak", 1, "plan-daily-peak"],
  ["needed_capacity", "Needed capacity", 0, "plan-needed-capacity"],
  ["surplus", "Surplus", 0, "plan-surplus"],
  ["surplus_pct", "Surplus %", 1, "plan-surplus"],
  ["working_days", "Working days", 0, "plan-working-days"],
  ["time_used_pct", "Time used %", 1, "time-used"],
  ["occupied_fill_pct", "Fill when used %", 1, "fill-when-used"],
  ["trend_pts", "Trend (pts)", 1, "trend"],
  ["days_over_target", "Days over target", 0, "days-over-target"],
];
