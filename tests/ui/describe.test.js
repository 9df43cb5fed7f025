import { test } from "node:test";
import assert from "node:assert/strict";
import { chartText } from "../../ui/describe.js";

test("a time series says its place, period, range and highest values", () => {
  const chart = {
    hover: {
      seriesNames: ["Mean", "Peak"],
      points: [
        { series: 0, value: 10, local: "Mon 2026-10-05 09:00 CDT" },
        { series: 0, value: 204.6, local: "Wed 2026-10-07 10:00 CDT" },
        { series: 1, value: 312, local: "Wed 2026-10-07 10:00 CDT" },
      ],
    },
  };
  assert.equal(
    chartText("timeSeries", chart, { place: "Chicago Loop HQ", period: "by hour", range: "2026-10-05 to 2026-10-11", capacity: 312 }),
    "Line chart of occupancy for Chicago Loop HQ by hour, 2026-10-05 to 2026-10-11: Mean highest 205 on Wed 2026-10-07 10:00 CDT; Peak highest 312 on Wed 2026-10-07 10:00 CDT; capacity 312.",
  );
  assert.match(chartText("compare", { hover: { seriesNames: ["A", "B"], points: [{ series: 1, value: 88.04 }, { series: 0, value: 45 }] } }, { percent: true }),
    /: highest values: A 45\.0 %, B 88\.0 %\.$/);
  assert.match(chartText("timeSeries", { hover: { seriesNames: ["Mean"], points: [] } }), /: no values in this range\.$/);
});

test("a heatmap names its busiest and quietest hours, a bar chart its bars", () => {
  const cells = [
    { weekday: 2, hour: 10, value: 204.5 }, { weekday: 7, hour: 3, value: 0 }, { weekday: 1, hour: 0, value: null },
  ];
  assert.equal(
    chartText("heatmap", { cells }, { place: "X", clock: "12h" }),
    "Heatmap of mean occupancy by weekday and hour for X: busiest Tue 10:00 AM with a mean of 205, quietest Sun 3:00 AM with 0.0; 1 of 3 hours without data.",
  );
  const bars = [{ name: "Mon p90 peak", value: 290 }, { name: "Needed capacity", value: 319 }, { name: "Capacity", value: null }];
  assert.match(chartText("planning", { bars }), /: Mon p90 peak 290, Needed capacity 319, Capacity no data\.$/);
  const many = Array.from({ length: 12 }, (_, i) => ({ name: `Zone ${i}`, value: 50 - i }));
  assert.match(chartText("ranking", { bars: many }, { percent: true }), /: 12 zones; most: Zone 0 50\.0 %, Zone 1 49\.0 %, Zone 2 48\.0 %; least: Zone 11 39\.0 %\.$/);
  assert.match(chartText("weeklyVisits", { bars: [{ name: "1 day a week", value: 40 }] }), /1 day a week 40\.0 %\.$/);
});
