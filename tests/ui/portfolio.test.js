import test from "node:test";
import assert from "node:assert/strict";
import { COLUMNS, bandOf, progressText, sortRows } from "../../ui/portfolio_words.js";

const rows = [
  { name: "Chicago", surplus: 12, utilization_mean_pct: 40 },
  { name: "Sydney", error: "The service did not answer." },
  { name: "London", surplus: -3, utilization_mean_pct: 90 },
  { name: "Austin", surplus: null, utilization_mean_pct: null },
  { name: "Berlin", surplus: 12, utilization_mean_pct: 70 },
];

test("rows sort by any figure either way; rows without it stay last", () => {
  const names = (key, dir) => sortRows(rows, key, dir).map((r) => r.name);
  assert.deepEqual(names("surplus", -1), ["Berlin", "Chicago", "London", "Austin", "Sydney"]);
  assert.deepEqual(names("surplus", 1), ["London", "Berlin", "Chicago", "Austin", "Sydney"]);
  assert.deepEqual(names("name", 1), ["Austin", "Berlin", "Chicago", "London", "Sydney"]);
  assert.deepEqual(names("name", -1), ["Sydney", "London", "Chicago", "Berlin", "Austin"]);
  assert.deepEqual(names("utilization_mean_pct", 1), ["Chicago", "Berlin", "London", "Austin", "Sydney"]);
});

test("a utilization is below, within or above the band, bounds included in it", () => {
  const band = { lowPct: 60, highPct: 85 };
  assert.equal(bandOf(59.9, band), "under");
  assert.equal(bandOf(60, band), "within");
  assert.equal(bandOf(85, band), "within");
  assert.equal(bandOf(85.1, band), "over");
  assert.equal(bandOf(null, band), null);
});

test("progress counts buildings", () => {
  assert.equal(progressText({ buildingsDone: 7, buildingsTotal: 23 }), "7 of 23 buildings");
  assert.equal(progressText({ buildingsDone: 0, buildingsTotal: 1 }), "0 of 1 building");
});

test("every portfolio column's heading has a definition", async () => {
  const { definition } = await import("../../ui/definitions.js");
  assert.equal(COLUMNS.length, 12);
  for (const [key, , , id] of COLUMNS) assert.ok(definition(id), key);
  assert.ok(definition("target-band"));
});
