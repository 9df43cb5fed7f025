// Plain words for what the API names (pure functions: `node --test`). The window shows these;
// API names stay in CSV and JSON exports, where scripts need them.

import { GRANULARITIES, Granularity } from "./contract.js";
import { count } from "./ranges.js";

/** "1 request", "13 requests", "1,234 rows". */
export function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** "OPEN_WORKSPACE" → "Open workspace": an API name's words, in sentence case. */
export function apiWords(name) {
  return sentence(String(name ?? "").toLowerCase().split(/[_\s]+/).filter(Boolean).join(" "));
}

/** A zone type as people say it: "OPEN_WORKSPACE" → "Open workspace". */
export const zoneTypeLabel = apiWords;

/** The statistic a metric name ends in, in words. */
const STATISTICS = { mean: "Average", max: "Peak", min: "Lowest" };
/** Words of a metric name the rule below reads. */
const MODIFIERS = new Set(["occupancy", "percent", "capacity", "pos", "room"]);

/**
 * A metric's label, by one rule from its API name (v2 upper case, v1 lower case):
 * the statistic (mean → Average, max → Peak, min → Lowest), "occupancy", "when occupied" for
 * `pos` (only minutes when someone is there), ", rooms only" for `_room`, and the unit last:
 * "(% of capacity)" for `percent_capacity`, else "(people)".
 * OCCUPANCY_PERCENT_CAPACITY_MEAN → "Average occupancy (% of capacity)". A name the rule does
 * not know is shown in its own words ("CAPACITY" → "Capacity").
 */
export function metricLabel(name) {
  const words = String(name ?? "").toLowerCase().split("_").filter(Boolean);
  const statistic = words.find((w) => Object.hasOwn(STATISTICS, w));
  if (!statistic || !words.includes("occupancy")) return apiWords(name);
  const other = words.filter((w) => w !== statistic && !MODIFIERS.has(w));
  let label = [`${STATISTICS[statistic]} occupancy`, ...other].join(" ");
  if (words.includes("pos")) label += " when occupied";
  if (words.includes("room")) label += ", rooms only";
  return `${label} (${words.includes("percent") ? "% of capacity" : "people"})`;
}

/** A granularity's period in words for a sentence: "PT1H" → "by hour". */
export function byPeriod(granularity) {
  const label = GRANULARITIES.find((g) => g.value === granularity)?.label;
  return label ? `by ${label.toLowerCase()}` : `by ${granularity}`;
}

/**
 * A site (a floor of the building, in InnerSpace's words) as people know it: its floor's name,
 * else "Level n", else the floor's or the site's code, else its id.
 */
export function siteName(detail, site) {
  const floor = detail?.floors?.find((f) => f.id === site?.floorId);
  if (floor?.name) return floor.name;
  if (floor?.level !== null && floor?.level !== undefined) return `Level ${floor.level}`;
  return floor?.code ?? site?.code ?? `Site ${site?.id}`;
}

/** The name of the site with this id in the building's detail. */
export function siteNameById(detail, siteId) {
  return siteName(detail, detail?.sites?.find((s) => s.id === siteId) ?? { id: siteId });
}

/** A zone's name, or "Zone 12" when it has none. */
export function zoneName(detail, zoneId) {
  return detail?.zones?.find((z) => z.id === zoneId)?.name ?? `Zone ${zoneId}`;
}

/** What a view covers, in words: "Whole building", a floor's name or a zone's. */
export function placeWords(detail, scope) {
  if (scope?.zoneId) return zoneName(detail, scope.zoneId);
  if (scope?.siteId) return siteNameById(detail, scope.siteId);
  return "Whole building";
}

/**
 * The line above a loaded view, in parts: "8,760 rows", "Whole building", "by hour",
 * "3 requests" (or "from this computer's cache" when no request was needed). Joined with " · ".
 */
export function summaryLine(view, detail) {
  const source = view.provenance?.fromCache ? "from this computer's cache" : plural(view.requests, "request");
  return [plural(view.rows, "row"), placeWords(detail, view.scope), byPeriod(view.granularity), source];
}

/**
 * Why a loaded view has no rows, and what to try: never the granularity already chosen.
 * (Rust's notice names API tables and suggests PT1H whatever was asked; the window says it
 * in its own words.)
 */
export function noDataText(view, detail) {
  const where = placeWords(detail, view.scope);
  const { from, to } = view.scope ?? {};
  const range = from === to ? `on ${from}` : `from ${from} to ${to}`;
  const head = `No data for ${where === "Whole building" ? "the building" : where} ${range} ${byPeriod(view.granularity)}.`;
  if (view.granularity === Granularity.pt15m) {
    const hour = GRANULARITIES.find((g) => g.value === Granularity.pt1h)?.label;
    return `${head} 15-minute data is being retired and may not be published here: choose ${hour} or another range, then Load.`;
  }
  return `${head} Nothing was published for these days: choose an earlier range, then Load.`;
}
