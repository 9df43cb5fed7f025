// One sentence per figure, shown on hover (title) and keyboard focus (aria-describedby).
// Written once, in Rust (crates/figures/src/definitions.rs), and reach the window through
// contract.js; the report prints the same list, and README.md carries each word for word (a
// unit test checks that: tests/ui/definitions.test.js). Keyed by figure id.

import { FIGURE_DEFINITIONS } from "./contract.js";

export const DEFINITIONS = FIGURE_DEFINITIONS;

const SUMMARY_IDS = Object.freeze({
  Peak: "peak",
  "Peak hour (sum of zone means)": "peak-hour-sum",
  "Highest mean (no peak column)": "highest-mean",
  Mean: "mean",
  "Mean occupied": "mean-occupied",
  Capacity: "capacity",
  "Utilization (all hours)": "utilization",
  "Utilization (office hours)": "utilization-office-hours",
  "Busiest hour of the week": "busiest-hour-of-the-week",
  "Busiest weekday": "busiest-weekday",
  "Over capacity": "over-capacity",
});

const PLAN_IDS = Object.freeze({
  "Working days": "plan-working-days",
  "Daily peak p50 / p90 / p95": "plan-daily-peak",
  "Needed capacity": "plan-needed-capacity",
  Capacity: "plan-capacity",
  Surplus: "plan-surplus",
  Shortfall: "plan-shortfall",
});

/** The definition id of a summary figure from its label (undefined for an unknown one). */
export function summaryFigureId(label) {
  return SUMMARY_IDS[label];
}

/** The definition id of a plan figure from its label. */
export function planFigureId(label) {
  return PLAN_IDS[label];
}

/** The sentence for a figure id ("" when there is none). */
export function definition(id) {
  return DEFINITIONS[id] ?? "";
}
