// Words for the summary figures and chart tooltips (pure functions: `node --test`).

import { Granularity, UtilizationBasis } from "./contract.js";
import { clockTime, hourText, inZone } from "./times.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const num = (v) => (Math.abs(v) >= 100 ? Math.round(v).toString() : v.toFixed(1));

/**
 * "Tue 2026-05-14 11:00" (or "… 11:00 AM" on a 12-hour clock) from Rust's RFC 3339 time,
 * keeping its wall clock: Rust already put it in the zone the setting shows.
 */
export function localStamp(rfc3339, clock) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(rfc3339 ?? "");
  if (!m) return "";
  const weekday = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
  return `${WEEKDAYS[(weekday + 6) % 7]} ${m[1]}-${m[2]}-${m[3]} ${clockTime(m[4], clock)}`;
}

/** Periods shorter than a day: only these have a time of day (a heatmap, a busiest hour). */
export function hasTimeOfDay(granularity) {
  return !granularity || granularity === Granularity.pt15m || granularity === Granularity.pt1h;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The period a value belongs to, as long as the period is: "Tue 2026-05-12 11:00" for hours
 * and quarters, "Tue 2026-05-12" for a day, "week of Mon 2026-05-11", "May 2026". Days, weeks
 * and months are the building's: `buildingZone` puts a time shown in another zone back in it.
 */
export function periodStamp(rfc3339, { granularity, clock, buildingZone } = {}) {
  if (hasTimeOfDay(granularity)) return localStamp(rfc3339, clock);
  const local = buildingZone ? inZone(rfc3339, buildingZone) || rfc3339 : rfc3339;
  const day = localStamp(local).slice(0, 14);
  if (!day) return "";
  if (granularity === Granularity.p1w) return `week of ${day}`;
  if (granularity === Granularity.p1m) return `${MONTHS[Number(day.slice(9, 11)) - 1]} ${day.slice(4, 8)}`;
  return day;
}

/** What a peak is (Rust's `peak_basis`): a sum of zones peaks by the hour. */
function peakName(basis) {
  if (basis === "hourly_sum_of_zone_means") return "Peak hour (sum of zone means)";
  if (basis === "occupancy_mean") return "Highest mean (no peak column)";
  return "Peak";
}

/**
 * The figures as [label, text, id?] entries; undefined figures are left out. `clock` is a
 * `Clock` (contract.js); `buildingTime` false (times shown in this computer's zone) marks the busiest hour
 * as the building's, which it stays: it describes the building's day. `granularity` is the
 * view's: periods of a day or longer have no time of day, so their peak names the period and
 * no busiest hour is given; `buildingZone` is the building's IANA zone (for those periods).
 * `utilizationBasis` (contract's `UtilizationBasis`, Settings) picks the utilization shown.
 */
export function summaryParts(s, { clock, buildingTime = true, granularity, buildingZone, utilizationBasis = UtilizationBasis.officeHours } = {}) {
  const parts = [];
  const hourly = hasTimeOfDay(granularity);
  // The third member names the figure for tests when its label varies.
  if (s.peak != null) {
    const when = s.peak_at ? ` (${periodStamp(s.peak_at, { granularity, clock, buildingZone })})` : "";
    parts.push([peakName(s.peak_basis), `${num(s.peak)}${when}`, "peak"]);
  }
  if (s.mean != null) parts.push(["Mean", num(s.mean)]);
  if (s.mean_occupied != null) parts.push(["Mean occupied", num(s.mean_occupied)]);
  if (s.capacity != null) parts.push(["Capacity", num(s.capacity)]);
  // The basis Settings chose; periods of a day or longer cannot tell office hours, so they
  // fall back to all hours, and the label says which basis the figure has.
  const office = utilizationBasis === UtilizationBasis.officeHours && s.utilization_office_hours_pct != null;
  const utilization = office ? s.utilization_office_hours_pct : s.utilization_mean_pct;
  if (utilization != null) {
    const peak = s.utilization_peak_pct != null ? ` (peak ${Math.round(s.utilization_peak_pct)} %)` : "";
    parts.push([office ? "Utilization (office hours)" : "Utilization (all hours)", `${Math.round(utilization)} %${peak}`, "utilization"]);
  }
  // One (weekday, hour) cell: the busiest weekday and the busiest hour may never coincide.
  if (s.busiest_slot != null && hourly) {
    const note = buildingTime ? "" : " building time";
    const { weekday, hour } = s.busiest_slot;
    parts.push(["Busiest hour of the week", `${WEEKDAYS[weekday - 1]} ${hourText(hour, clock)}${note}`]);
  } else if (s.busiest_weekday != null) {
    parts.push(["Busiest weekday", WEEKDAYS[s.busiest_weekday - 1]]);
  }
  if (s.share_over_100 != null) {
    parts.push(["Over capacity", `${(s.share_over_100 * 100).toFixed(1)} % of periods`]);
  }
  return parts;
}

/** The hover point nearest to x (SVG pixels) among a time chart's points, or null. */
export function nearestPoint(points, x, maxDistance = 12) {
  let best = null;
  for (const p of points) {
    const d = Math.abs(p.x - x);
    if (d <= maxDistance && (!best || d < Math.abs(best.x - x))) best = p;
  }
  return best;
}

/** The rectangle (heatmap cell or bar row) containing (x, y), or null. */
export function rectAt(rects, x, y) {
  return rects.find((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) ?? null;
}

export function weekdayName(isoWeekday) {
  return WEEKDAYS[isoWeekday - 1] ?? "";
}

/** A plan's figures as [label, text] pairs (README, "Planning and anomalies"). */
export function planParts(p) {
  const parts = [["Working days", String(p.working_days)]];
  if (p.p50_daily_peak != null) parts.push(["Daily peak p50 / p90 / p95", [p.p50_daily_peak, p.p90_daily_peak, p.p95_daily_peak].map(num).join(" / ")]);
  if (p.needed_capacity != null) parts.push(["Needed capacity", `${num(p.needed_capacity)} (p90 + ${Math.round(p.buffer * 100)} %)`]);
  if (p.capacity != null) parts.push(["Capacity", num(p.capacity)]);
  if (p.surplus != null) {
    const pct = p.surplus_pct != null ? ` (${Math.round(p.surplus_pct)} %)` : "";
    // Needed capacity carries the buffer, so a shortfall may be the buffer alone: say so.
    const buffer = p.surplus < 0 && p.buffer != null ? `, incl. ${Math.round(p.buffer * 100)} % buffer` : "";
    parts.push([p.surplus >= 0 ? "Surplus" : "Shortfall", `${num(Math.abs(p.surplus))}${pct.replace("-", "")}${buffer}`]);
  }
  return parts;
}

/** One unusual day in a sentence, as the CLI prints it. */
export function anomalyText(a) {
  const change = a.change_pct != null ? ` (${a.change_pct > 0 ? "+" : ""}${Math.round(a.change_pct)} %)` : "";
  return `${localStamp(`${a.date}T00:00`).slice(0, 14)}: mean ${num(a.daily_mean)}, ${a.direction} the usual ${num(a.median)}${change}`;
}
