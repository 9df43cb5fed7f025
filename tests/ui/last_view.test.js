import { test } from "node:test";
import assert from "node:assert/strict";
import { areaOf, controlsToRemember, restoredControls } from "../../ui/last_view.js";
import { Granularity, Tab } from "../../ui/contract.js";

const loaded = {
  siteId: 900, zoneId: null, groupId: null, granularity: Granularity.p1d, metric: "OCCUPANCY_MEAN",
  preset: "last7", from: "2026-11-16", to: "2026-11-22", tab: Tab.heatmap,
};

test("a preset is remembered by name and counts again from the day the view reopens", () => {
  const saved = controlsToRemember(loaded);
  assert.equal(saved.preset, "last7");
  assert.equal(saved.from, null);
  const back = restoredControls(JSON.parse(JSON.stringify(saved)), "2026-12-06");
  assert.deepEqual(back, {
    pendingArea: { siteId: 900, zoneId: null, groupId: null },
    granularity: Granularity.p1d, metric: "OCCUPANCY_MEAN", tab: Tab.heatmap,
    preset: "last7", from: "2026-11-29", to: "2026-12-05",
  });
});

test("a range typed by hand stays as it was", () => {
  const saved = controlsToRemember({ ...loaded, preset: "custom", from: "2026-03-01", to: "2026-03-31" });
  assert.equal(saved.preset, null);
  const back = restoredControls(saved, "2026-12-06");
  assert.equal(back.preset, "custom");
  assert.deepEqual([back.from, back.to], ["2026-03-01", "2026-03-31"]);
});

test("what the window no longer offers keeps its default", () => {
  const back = restoredControls({ granularity: "PT5M", tab: "gone", preset: "lastDecade" }, "2026-12-06");
  assert.deepEqual(back, { pendingArea: { siteId: null, zoneId: null, groupId: null } });
});

test("a floor or zone the building no longer has is dropped", () => {
  const detail = { sites: [{ id: 900 }, { id: 901 }], zones: [{ id: 5, siteId: 900 }, { id: 6, siteId: 901 }] };
  assert.deepEqual(areaOf(detail, { siteId: 900, zoneId: 5 }), { siteId: 900, zoneId: 5, groupId: null });
  assert.deepEqual(areaOf(detail, { siteId: 900, zoneId: 6 }), { siteId: 900, zoneId: null, groupId: null });
  assert.deepEqual(areaOf(detail, { siteId: 77, zoneId: 5 }), { siteId: null, zoneId: 5, groupId: null });
  assert.deepEqual(areaOf(null, { siteId: 900, groupId: "all-1" }), { siteId: null, zoneId: null, groupId: "all-1" });
});
