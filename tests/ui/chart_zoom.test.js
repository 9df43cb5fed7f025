import { test } from "node:test";
import assert from "node:assert/strict";
import { chartWindow, rangeWords, spanWords, stepWindow, timeAt, windowFromDrag, zoomFor } from "../../ui/chart_zoom.js";
import { SeriesPeriods } from "../../ui/contract.js";

const DAY = 86_400_000;
// 2026-01-01 00:00 to 2026-12-31 23:59:59.999 in Chicago (CST, UTC-6).
const WHOLE = [1_767_247_200_000, 1_767_247_200_000 + 365 * DAY - 1];
const hover = { plot: { x: 100, width: 1000 }, xRangeUtcMs: WHOLE };

test("a drag selects the window under it; a click does not zoom", () => {
  assert.equal(timeAt(hover, 100), WHOLE[0]);
  assert.equal(timeAt(hover, 1100), WHOLE[1]);
  assert.equal(timeAt(hover, 0), WHOLE[0], "left of the plot is its start");
  const [a, b] = windowFromDrag(hover, 600, 300);
  const HOUR = 3_600_000;
  assert.equal(a, Math.floor(timeAt(hover, 300) / HOUR) * HOUR, "from the hour it starts in");
  assert.equal(b, Math.ceil(timeAt(hover, 600) / HOUR) * HOUR - 1, "to the end of the hour it ends in");
  assert.equal(windowFromDrag(hover, 300, 304), null);
});

test("keys zoom around the middle, move by a quarter, stay inside and Home resets", () => {
  const half = stepWindow(WHOLE, null, "in");
  const span = WHOLE[1] - WHOLE[0];
  assert.ok(Math.abs(half[1] - half[0] - span / 2) <= 1);
  assert.ok(Math.abs(half[0] - (WHOLE[0] + span / 4)) <= 1);
  const right = stepWindow(WHOLE, half, "right");
  assert.ok(Math.abs(right[0] - half[0] - span / 8) <= 1);
  // Moving past the end stops at the end, keeping the width.
  let w = half;
  for (let i = 0; i < 10; i += 1) w = stepWindow(WHOLE, w, "right");
  assert.equal(w[1], WHOLE[1]);
  assert.ok(Math.abs(w[1] - w[0] - (half[1] - half[0])) <= 1);
  // Zooming out past the whole range is the whole range (no window).
  assert.equal(stepWindow(WHOLE, half, "out"), null);
  assert.equal(stepWindow(WHOLE, half, "home"), null);
  assert.equal(stepWindow(WHOLE, null, "left"), null, "the whole range cannot move");
  // Never shorter than an hour.
  let tiny = [WHOLE[0] + DAY, WHOLE[0] + DAY + 3_600_000];
  tiny = stepWindow(WHOLE, tiny, "in");
  assert.ok(tiny[1] - tiny[0] >= 3_600_000);
});

test("the visible range is said in words in the chart's zone", () => {
  // Monday 23 February 2026 00:00 CST, for a week (no DST change in it).
  const week = [1_771_826_400_000, 1_771_826_400_000 + 7 * DAY - 1];
  assert.equal(spanWords(week, "America/Chicago"), "Mon 23 Feb 2026 00:00 to Sun 1 Mar 2026 23:59 (7 days)");
  assert.equal(rangeWords(week, "America/Chicago", true),
    "Showing Mon 23 Feb 2026 00:00 to Sun 1 Mar 2026 23:59 (7 days) of the loaded range");
  assert.match(rangeWords(WHOLE, "America/Chicago", false), /^Showing the whole range: Thu 1 Jan 2026 00:00 to Thu 31 Dec 2026 23:59 \(365 days\)$/);
  assert.equal(spanWords([0, 36 * 3_600_000 - 1], "UTC"), "Thu 1 Jan 1970 00:00 to Fri 2 Jan 1970 11:59 (36 hours)");
});

test("a new view starts at its whole range; the chart asks with the contract's words", () => {
  const zoom = zoomFor("view-1");
  zoom.window = [1, 2];
  zoom.raw = true;
  assert.equal(zoomFor("view-1").window[0], 1, "the same view keeps its zoom");
  assert.deepEqual(chartWindow(zoom), { windowUtcMs: [1, 2], periods: SeriesPeriods.raw, dailyRange: false });
  assert.equal(zoomFor("view-2").window, null);
  assert.equal(chartWindow(zoomFor("view-2")).periods, SeriesPeriods.auto);
});
