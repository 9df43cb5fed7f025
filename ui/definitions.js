// One sentence per figure, shown on hover (title) and keyboard focus (aria-describedby).
// Each is written word for word in README.md ("Charts and summary figures"); a unit test
// checks that (tests/ui/definitions.test.js). Keyed by figure id.

export const DEFINITIONS = Object.freeze({
  peak: "Peak: the most people counted at once in any period of the range, and when.",
  "peak-hour-sum": "Peak hour (sum of zone means): for a floor or site, the busiest hour of its zones together, their average occupancies added up; a lower bound of the instantaneous peak.",
  "highest-mean": "Highest mean (no peak column): the largest average occupancy of any period, where the data has no maximum.",
  mean: "Mean: the average number of people present per period, over every period of the range (nights, weekends and closed days included).",
  "mean-occupied": "Mean occupied: the same average over only the periods when anyone was present (an average above 0).",
  capacity: "Capacity: the zone's capacity, or for a building, floor or site the sum over its zones.",
  utilization: "Utilization: the mean as a percentage of capacity, over all hours of every day in the range; in brackets, the peak as a percentage of capacity.",
  "busiest-hour-of-the-week": "Busiest hour of the week: the weekday and hour, in building time, with the highest average occupancy.",
  "busiest-weekday": "Busiest weekday: the weekday with the highest average occupancy.",
  "over-capacity": "Over capacity: the share of the range's periods whose peak was above capacity (more people than places).",
  "plan-working-days": "Working days: the Monday-to-Friday days in the range whose daily peak is above 0.",
  "plan-daily-peak": "Daily peak p50 / p90 / p95: the working days' peaks that half, 90 % and 95 % of those days stay at or below.",
  "plan-needed-capacity": "Needed capacity: the p90 daily peak plus a buffer, rounded up (needed capacity = p90 daily peak + 10 % buffer).",
  "plan-capacity": "Capacity (plan): the capacity of the zones planned for, summed over the building, floor, site or zone type.",
  "plan-surplus": "Surplus: capacity minus needed capacity, so the buffer is already set aside (needed capacity = p90 daily peak + 10 % buffer); the percentage is of capacity.",
  "plan-shortfall": "Shortfall: needed capacity minus capacity, so it includes the buffer (needed capacity = p90 daily peak + 10 % buffer); the percentage is of capacity.",
});

const SUMMARY_IDS = Object.freeze({
  Peak: "peak",
  "Peak hour (sum of zone means)": "peak-hour-sum",
  "Highest mean (no peak column)": "highest-mean",
  Mean: "mean",
  "Mean occupied": "mean-occupied",
  Capacity: "capacity",
  Utilization: "utilization",
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
