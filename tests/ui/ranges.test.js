import { test } from "node:test";
import assert from "node:assert/strict";
import { addDays, count, metricText, presetRange } from "../../ui/ranges.js";
import { rowTime } from "../../ui/times.js";

const localTime = (startLocal) => rowTime({ startLocal }, undefined, { timeZone: "America/Chicago" });

test("presets end yesterday and cross months and leap days", () => {
  assert.deepEqual(presetRange("last7", "2026-03-02"), { from: "2026-02-23", to: "2026-03-01" });
  assert.deepEqual(presetRange("last90", "2026-12-03"), { from: "2026-09-04", to: "2026-12-02" });
  assert.deepEqual(presetRange("thisMonth", "2026-12-03"), { from: "2026-12-01", to: "2026-12-02" });
  assert.deepEqual(presetRange("lastMonth", "2026-03-15"), { from: "2026-02-01", to: "2026-02-28" });
  assert.deepEqual(presetRange("lastMonth", "2024-03-15"), { from: "2024-02-01", to: "2024-02-29" });
  assert.deepEqual(presetRange("lastMonth", "2026-01-10"), { from: "2025-12-01", to: "2025-12-31" });
  assert.deepEqual(presetRange("thisYear", "2026-12-03"), { from: "2026-01-01", to: "2026-12-02" });
  assert.equal(presetRange("custom", "2026-12-03"), null);
});

test("on the first day of a month or year the range is that day, never backwards", () => {
  assert.deepEqual(presetRange("thisYear", "2027-01-01"), { from: "2027-01-01", to: "2027-01-01" });
  assert.deepEqual(presetRange("thisMonth", "2026-12-01"), { from: "2026-12-01", to: "2026-12-01" });
  assert.deepEqual(presetRange("lastMonth", "2027-01-01"), { from: "2026-12-01", to: "2026-12-31" });
});

test("day arithmetic ignores DST", () => {
  assert.equal(addDays("2026-03-08", 1), "2026-03-09");
  assert.equal(addDays("2026-11-01", -1), "2026-10-31");
});

test("local times keep the building's wall clock and offset", () => {
  assert.equal(localTime("2026-03-08T03:00:00-05:00"), "2026-03-08 03:00 (UTC−05:00)");
  assert.equal(localTime("2026-01-05T09:15:00+11:00"), "2026-01-05 09:15 (UTC+11:00)");
  assert.equal(localTime("2026-01-05T09:15:00Z"), "2026-01-05 09:15 (UTC+00:00)");
  assert.equal(localTime("garbage"), "garbage");
});

test("numbers read naturally", () => {
  assert.equal(metricText(null), "");
  assert.equal(metricText(12), "12");
  assert.equal(metricText(12.345), "12.35");
  assert.equal(count(8760), "8,760");
  assert.equal(count(70080), "70,080");
});

test("a range is checked before anything is sent", async () => {
  const { rangeProblem } = await import("../../ui/ranges.js");
  const today = "2026-11-23";
  assert.equal(rangeProblem("2026-11-01", "2026-11-22", today), null);
  // Today itself and a range that ends after today are asked for: today is partly published.
  assert.equal(rangeProblem("2026-11-23", "2026-11-30", today), null);
  assert.deepEqual(rangeProblem("", "2026-11-22", today)?.field, "from");
  assert.deepEqual(rangeProblem("2026-11-01", "", today)?.field, "to");
  assert.match(rangeProblem("2026-11-20", "2026-11-10", today).message, /is after To/);
  const future = rangeProblem("2026-12-01", "2026-12-31", today);
  assert.equal(future.field, "from");
  assert.match(future.message, /wholly in the future \(today is 2026-11-23\).*2026-11-22/);
});

test("a table column shows every number with the same decimals", async () => {
  const { columnFormat } = await import("../../ui/ranges.js");
  const mean = columnFormat("OCCUPANCY_MEAN", [0, 1.61, 5]);
  assert.deepEqual([0, 1.61, 5, null].map(mean), ["0.00", "1.61", "5.00", ""]);
  // A page of nights, all zero, still reads as means.
  assert.deepEqual([0, 0].map(columnFormat("occupancy_mean", [0, 0])), ["0.00", "0.00"]);
  const peak = columnFormat("OCCUPANCY_MAX", [0, 78, 213]);
  assert.deepEqual([0, 78, 213].map(peak), ["0", "78", "213"]);
  const needed = columnFormat("Needed", [319, 12.1, 4.25]);
  assert.deepEqual([319, 12.1, 4.25].map(needed), ["319.00", "12.10", "4.25"]);
  assert.equal(columnFormat("Capacity", [])(null), "");
});
