import { test } from "node:test";
import assert from "node:assert/strict";
import { byPeriod, metricLabel, placeWords, plural, siteName, summaryLine, zoneTypeLabel } from "../../ui/words.js";

test("counts agree with their noun", () => {
  assert.equal(plural(1, "request"), "1 request");
  assert.equal(plural(0, "request"), "0 requests");
  assert.equal(plural(8760, "row"), "8,760 rows");
});

test("metric labels follow one rule from the API name, v2 and v1 alike", () => {
  assert.equal(metricLabel("OCCUPANCY_MEAN"), "Average occupancy (people)");
  assert.equal(metricLabel("OCCUPANCY_MAX"), "Peak occupancy (people)");
  assert.equal(metricLabel("OCCUPANCY_MIN"), "Lowest occupancy (people)");
  assert.equal(metricLabel("OCCUPANCY_POS_MEAN"), "Average occupancy when occupied (people)");
  assert.equal(metricLabel("OCCUPANCY_PERCENT_CAPACITY_MEAN"), "Average occupancy (% of capacity)");
  assert.equal(metricLabel("OCCUPANCY_PERCENT_CAPACITY_MAX"), "Peak occupancy (% of capacity)");
  assert.equal(metricLabel("occupancy_mean"), "Average occupancy (people)");
  assert.equal(metricLabel("occupancy_mean_room"), "Average occupancy, rooms only (people)");
  assert.equal(metricLabel("occupancy_pos_percent_capacity_mean_room"), "Average occupancy when occupied, rooms only (% of capacity)");
  assert.equal(metricLabel("occupancy_percent_capacity_min"), "Lowest occupancy (% of capacity)");
  // Names the rule does not know keep their own words.
  assert.equal(metricLabel("CAPACITY"), "Capacity");
  assert.equal(metricLabel("PEAK_HOUR_SUM_OF_ZONE_MEANS"), "Peak hour sum of zone means");
});

test("zone types and periods in words", () => {
  assert.equal(zoneTypeLabel("OPEN_WORKSPACE"), "Open workspace");
  assert.equal(zoneTypeLabel("MEETING_ROOM"), "Meeting room");
  assert.equal(byPeriod("PT1H"), "by hour");
  assert.equal(byPeriod("PT15M"), "by 15 minutes");
  assert.equal(byPeriod("P1M"), "by month");
});

const detail = {
  floors: [{ id: 1, name: "Ground floor", level: 0 }, { id: 2, name: null, level: 3 }, { id: 3, name: null, level: null, code: "B2" }],
  sites: [{ id: 10, floorId: 1 }, { id: 11, floorId: 2 }, { id: 12, floorId: 3 }, { id: 13, floorId: null, code: "S-13" }, { id: 14, floorId: null }],
  zones: [{ id: 7, name: "Open Workspace 2.1" }],
};

test("a floor is named by its name, level or code, never only an id when it has one", () => {
  assert.deepEqual(detail.sites.map((s) => siteName(detail, s)), ["Ground floor", "Level 3", "B2", "S-13", "Site 14"]);
  assert.equal(placeWords(detail, { siteId: 11 }), "Level 3");
  assert.equal(placeWords(detail, { siteId: 11, zoneId: 7 }), "Open Workspace 2.1");
  assert.equal(placeWords(detail, {}), "Whole building");
});

test("the summary line is in words, and says when the cache answered", () => {
  const view = { rows: 8760, requests: 3, granularity: "PT1H", scope: {}, provenance: { fromCache: false } };
  assert.equal(summaryLine(view, detail).join(" · "), "8,760 rows · Whole building · by hour · 3 requests");
  assert.equal(summaryLine({ ...view, requests: 1 }, detail).at(-1), "1 request");
  assert.equal(summaryLine({ ...view, requests: 0, provenance: { fromCache: true } }, detail).at(-1), "from this computer's cache");
});

test("no data is explained without suggesting what is already chosen", async () => {
  const { noDataText } = await import("../../ui/words.js");
  const view = (granularity) => ({ granularity, scope: { from: "2026-11-01", to: "2026-11-07" } });
  const hourly = noDataText(view("PT1H"), detail);
  assert.equal(hourly, "No data for the building from 2026-11-01 to 2026-11-07 by hour. Nothing was published for these days: choose an earlier range, then Load.");
  assert.doesNotMatch(hourly, /PT1H|try Hour/);
  assert.match(noDataText(view("PT15M"), detail), /by 15 minutes\. 15-minute data is being retired .*choose Hour or another range/);
});
