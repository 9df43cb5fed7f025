import { test } from "node:test";
import assert from "node:assert/strict";
import { changedControls, controlsOf, staleText } from "../../ui/stale.js";

const loaded = controlsOf({
  connectionId: "c", buildingId: 71, siteId: null, zoneId: null, groupId: null,
  granularity: "PT1H", from: "2026-10-01", to: "2026-10-31", metric: "OCCUPANCY_MEAN", tab: "table",
});

test("a result matches the controls it was loaded with", () => {
  assert.deepEqual(changedControls(loaded, { ...loaded }), []);
  // Nothing chosen is nothing chosen, whether null, undefined or "".
  assert.deepEqual(changedControls(loaded, { ...loaded, groupId: "" }), []);
  assert.deepEqual(changedControls(null, loaded), []);
});

test("each control that differs is named once", () => {
  assert.deepEqual(changedControls(loaded, { ...loaded, granularity: "P1D" }), ["granularity"]);
  assert.deepEqual(changedControls(loaded, { ...loaded, from: "2026-09-01", to: "2026-09-30" }), ["range"]);
  assert.deepEqual(changedControls(loaded, { ...loaded, siteId: 9, metric: "OCCUPANCY_MAX" }), ["floor", "metric"]);
  assert.match(staleText(["range"]), /^Filters changed – Load to update \(range changed/);
});
