import { test } from "node:test";
import assert from "node:assert/strict";
import { anomalyText, localStamp, nearestPoint, planParts, rectAt, summaryParts } from "../../ui/summary.js";

test("local stamps keep the building's wall clock", () => {
  assert.equal(localStamp("2026-05-14T11:00:00-05:00"), "Thu 2026-05-14 11:00");
  assert.equal(localStamp("2026-03-08T03:00:00-05:00"), "Sun 2026-03-08 03:00");
  assert.equal(localStamp(null), "");
});

test("summary figures read as on the dashboard, undefined ones left out", () => {
  const parts = summaryParts({
    peak: 412, peak_at: "2026-05-12T11:00:00-05:00", mean: 183.4, mean_occupied: 240.2,
    capacity: 500, utilization_mean_pct: 36.7, utilization_peak_pct: 82.4,
    busiest_weekday: 2, busiest_hour: 11, busiest_slot: { weekday: 3, hour: 11 },
    share_under_60: 0.9, share_60_100: 0.1, share_over_100: 0,
  });
  assert.deepEqual(parts, [
    ["Peak", "412 (Tue 2026-05-12 11:00)", "peak"],
    ["Mean", "183"],
    ["Mean occupied", "240"],
    ["Capacity", "500"],
    ["Utilization (all hours)", "37 % (peak 82 %)", "utilization"],
    ["Busiest hour of the week", "Wed 11:00"],
    ["Over capacity", "0.0 % of periods"],
  ]);
  assert.deepEqual(summaryParts({ peak: null, mean: 2.25 }), [["Mean", "2.3"]]);
  // The basis Settings chose, named in the label; office hours (the default) where the
  // periods can tell them, else all hours.
  const both = { capacity: 500, utilization_mean_pct: 36.7, utilization_office_hours_pct: 61.2, utilization_peak_pct: 82.4 };
  assert.deepEqual(summaryParts(both).find(([, , id]) => id === "utilization"),
    ["Utilization (office hours)", "61 % (peak 82 %)", "utilization"]);
  assert.deepEqual(summaryParts(both, { utilizationBasis: "allHours" }).find(([, , id]) => id === "utilization"),
    ["Utilization (all hours)", "37 % (peak 82 %)", "utilization"]);
  // 12-hour clock, times in this computer's zone (Rust sends the peak already converted).
  const mine = summaryParts({ peak: 412, peak_at: "2026-05-12T17:00:00+01:00", busiest_weekday: 2, busiest_hour: 0, busiest_slot: { weekday: 2, hour: 0 } },
    { clock: "12h", buildingTime: false });
  assert.deepEqual(mine, [["Peak", "412 (Tue 2026-05-12 5:00 PM)", "peak"], ["Busiest hour of the week", "Tue 12:00 AM building time"]]);
  // A sum of zones says what its peak is; by the day there is no busiest hour.
  assert.deepEqual(
    summaryParts({ peak: 53.7, peak_basis: "hourly_sum_of_zone_means", busiest_weekday: 4 }),
    [["Peak hour (sum of zone means)", "53.7", "peak"], ["Busiest weekday", "Thu"]],
  );
  assert.equal(localStamp("2026-05-12T12:00:00-05:00", "12h"), "Tue 2026-05-12 12:00 PM");
});

test("hover finds the nearest point and the cell under the pointer", () => {
  const points = [{ x: 10, v: 1 }, { x: 20, v: 2 }, { x: 40, v: 3 }];
  assert.equal(nearestPoint(points, 17).v, 2);
  assert.equal(nearestPoint(points, 80), null);
  const cells = [{ x: 0, y: 0, width: 10, height: 10, id: "a" }, { x: 10, y: 0, width: 10, height: 10, id: "b" }];
  assert.equal(rectAt(cells, 12, 5).id, "b");
  assert.equal(rectAt(cells, 25, 5), null);
});

test("plans and unusual days read as the README defines them", () => {
  assert.deepEqual(planParts({
    working_days: 20, p50_daily_peak: 60, p90_daily_peak: 77, p95_daily_peak: 78.5,
    buffer: 0.1, needed_capacity: 85, capacity: 100, surplus: 15, surplus_pct: 15,
  }), [
    ["Working days", "20"],
    ["Daily peak p50 / p90 / p95", "60.0 / 77.0 / 78.5"],
    ["Needed capacity", "85.0 (p90 + 10 %)"],
    ["Capacity", "100"],
    ["Surplus", "15.0 (15 %)"],
  ]);
  assert.equal(planParts({ working_days: 3, surplus: -32, surplus_pct: -10.3, buffer: 0.1 })[1][0], "Shortfall");
  assert.equal(
    anomalyText({ date: "2026-11-11", daily_mean: 3.5, median: 72.4, change_pct: -95.2, direction: "below" }),
    "Wed 2026-11-11: mean 3.5, below the usual 72.4 (-95 %)",
  );
});

test("periods of a day or longer name the period, never a time of day", async () => {
  const { hasTimeOfDay, periodStamp } = await import("../../ui/summary.js");
  assert.equal(hasTimeOfDay("PT1H"), true);
  assert.equal(hasTimeOfDay("P1D"), false);
  assert.equal(periodStamp("2026-05-12T00:00:00-05:00", { granularity: "P1D" }), "Tue 2026-05-12");
  assert.equal(periodStamp("2026-05-11T00:00:00-05:00", { granularity: "P1W" }), "week of Mon 2026-05-11");
  assert.equal(periodStamp("2026-05-01T00:00:00-05:00", { granularity: "P1M" }), "May 2026");
  assert.equal(periodStamp("2026-05-12T11:00:00-05:00", { granularity: "PT1H" }), "Tue 2026-05-12 11:00");
  // Shown in Tokyo, a Chicago day starts at 14:00 there: the day is still Chicago's.
  assert.equal(periodStamp("2026-05-12T14:00:00+09:00", { granularity: "P1D", buildingZone: "America/Chicago" }), "Tue 2026-05-12");
  // A Tokyo day starts the evening before in Chicago.
  assert.equal(periodStamp("2026-05-11T10:00:00-05:00", { granularity: "P1D", buildingZone: "Asia/Tokyo" }), "Tue 2026-05-12");
  const parts = summaryParts(
    { peak: 300, peak_at: "2026-05-12T00:00:00-05:00", busiest_weekday: 2, busiest_slot: { weekday: 2, hour: 0 } },
    { granularity: "P1D", buildingZone: "America/Chicago" },
  );
  assert.deepEqual(parts, [["Peak", "300 (Tue 2026-05-12)", "peak"], ["Busiest weekday", "Tue"]]);
});
