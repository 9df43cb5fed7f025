// A chart in one sentence, for its text alternative (pure functions: `node --test`): what it
// shows, for which place, period and range, and its main figures, read from what the chart
// carries (its hover points, cells or bars), so the words and the picture cannot disagree.

import { ChartKind } from "./contract.js";
import { hourText } from "./times.js";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** What each chart is, in words. */
const WHAT = Object.freeze({
  [ChartKind.timeSeries]: "Line chart of occupancy",
  [ChartKind.compare]: "Small line charts of the most used zones, one each on one shared axis",
  [ChartKind.heatmap]: "Heatmap of mean occupancy by weekday and hour",
  [ChartKind.heatmapOfficeHours]: "Heatmap of mean occupancy by weekday and hour, office hours only",
  [ChartKind.ranking]: "Bar chart of zones by mean use",
  [ChartKind.planning]: "Bar chart of the 90th percentile of daily peaks by weekday against capacity",
  [ChartKind.weeklyVisits]: "Bar chart of the share of visitors by days a week",
});

/** A figure as the summary shows it: whole above 100, one decimal below. */
const figure = (v) => (Math.abs(v) >= 100 ? String(Math.round(v)) : v.toFixed(1));

/** The highest finite value of each series of a time chart: [{name, value, local}]. */
function highest(hover) {
  const best = new Map();
  for (const p of hover?.points ?? []) {
    if (!Number.isFinite(p.value)) continue;
    const seen = best.get(p.series);
    if (!seen || p.value > seen.value) best.set(p.series, p);
  }
  return [...best.entries()]
    .sort(([a], [b]) => a - b)
    .map(([series, p]) => ({ name: hover.seriesNames[series] ?? `Series ${series + 1}`, value: p.value, local: p.local }));
}

function lines(kind, chart, { capacity, unit }) {
  const tops = highest(chart.hover);
  if (!tops.length) return "no values in this range";
  if (kind === ChartKind.compare) {
    return `highest values: ${tops.map((t) => `${t.name} ${figure(t.value)}${unit}`).join(", ")}`;
  }
  const parts = tops.map((t) => `${t.name} highest ${figure(t.value)}${unit} on ${t.local}`);
  if (capacity != null) parts.push(`capacity ${figure(capacity)}`);
  return parts.join("; ");
}

function cells(chart, clock) {
  const valued = (chart.cells ?? []).filter((c) => Number.isFinite(c.value));
  if (!valued.length) return "no values in this range";
  const busiest = valued.reduce((a, b) => (b.value > a.value ? b : a));
  const quietest = valued.reduce((a, b) => (b.value < a.value ? b : a));
  const at = (c) => `${WEEKDAYS[c.weekday - 1]} ${hourText(c.hour, clock)}`;
  const empty = (chart.cells?.length ?? 0) - valued.length;
  const gaps = empty ? `; ${empty} of ${chart.cells.length} hours without data` : "";
  return `busiest ${at(busiest)} with a mean of ${figure(busiest.value)}, quietest ${at(quietest)} with ${figure(quietest.value)}${gaps}`;
}

function bars(chart, unit, noun) {
  const all = chart.bars ?? [];
  const valued = all.filter((b) => Number.isFinite(b.value));
  if (!valued.length) return "no values in this range";
  const say = (b) => `${b.name} ${figure(b.value)}${unit}`;
  // Short lists whole; long rankings by their ends.
  if (all.length <= 10) return all.map((b) => (Number.isFinite(b.value) ? say(b) : `${b.name} no data`)).join(", ");
  return `${all.length} ${noun}; most: ${valued.slice(0, 3).map(say).join(", ")}; least: ${say(valued.at(-1))}`;
}

/**
 * The sentence for a chart of `kind`. `place` ("Chicago Loop HQ, Level 2"), `period`
 * ("by hour") and `range` ("2026-10-05 to 2026-10-11") say what it covers; `capacity` is added
 * to a time series; `percent` says its values are % of capacity; `clock` is the time display's.
 */
export function chartText(kind, chart, { place, period, range, capacity, percent = false, clock } = {}) {
  const unit = percent || kind === ChartKind.weeklyVisits ? " %" : "";
  const head = [WHAT[kind] ?? "Chart", place ? `for ${place}` : "", period ?? ""].filter(Boolean).join(" ");
  let body;
  if (chart.hover) body = lines(kind, chart, { capacity, unit });
  else if (chart.cells) body = cells(chart, clock);
  else body = bars(chart, unit, kind === ChartKind.ranking ? "zones" : "bars");
  return `${head}${range ? `, ${range}` : ""}: ${body}.`;
}
