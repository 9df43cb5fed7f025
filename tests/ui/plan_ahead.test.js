import { test } from "node:test";
import assert from "node:assert/strict";
import { definition } from "../../ui/definitions.js";
import {
  backtestWords, bandText, capacityValue, expectedText, forecastRows, riskText, spaceRows, whatIfParts,
} from "../../ui/plan_ahead_text.js";

const backtest = { from: "2026-09-29", to: "2026-11-23", held_out_days: 39, coverage_80: 0.667, mae_p50: 6.1, mae_naive: 9.4 };

test("the backtest is told in words, and says which guess did better", () => {
  const [errors, coverage] = backtestWords(backtest);
  assert.equal(errors, "The forecast's middle was off by 6.1 people a day; last week's value was off by 9.4. The forecast beats the naive guess on this place.");
  assert.equal(coverage, "67 % of 39 working days (2026-09-29 to 2026-11-23) fell between p10 and p90; about 80 % means the band is honest.");
  assert.match(backtestWords({ ...backtest, mae_p50: 12 })[0], /Last week's value did better/);
  assert.deepEqual(backtestWords({ ...backtest, mae_p50: null, mae_naive: null, coverage_80: null }),
    ["Not enough history before 2026-09-29 to score a forecast of the last 8 weeks."]);
});

test("each weekday's forecast and risk, or why there is none", () => {
  const f = {
    weeks: 8, capacity: 120, forecast_from: "2026-11-24", forecast_to: "2027-01-18", expected_days_above_capacity: 2,
    weekdays: [
      { weekday: 1, history_days: 12, p10: 100, p50: 110.25, p90: 125, p95: 130, overflow_risk: 0.25, expected_days_above_capacity: 2 },
      { weekday: 2, history_days: 4, p10: null, p50: null, p90: null, p95: null, overflow_risk: null, expected_days_above_capacity: null, reason: "4 open, usual days in the history; a forecast needs at least 6." },
    ],
  };
  assert.deepEqual(forecastRows(f), [
    ["Mon", "12", "100.0", "110.3", "125.0", "130.0", "25 % (2.0 of 8 days)", ""],
    ["Tue", "4", "–", "–", "–", "–", "–", "4 open, usual days in the history; a forecast needs at least 6."],
  ]);
  assert.equal(riskText(f.weekdays[1], 8), "–");
  assert.equal(expectedText(f), "2.0 of the forecast working days (2026-11-24 to 2027-01-18) are expected above 120.");
  assert.match(expectedText({ ...f, capacity: null }), /type one/);
  assert.match(expectedText({ ...f, expected_days_above_capacity: null }), /No weekday has enough history/);
  assert.equal(bandText({ name: "Mon", p10: 100, p50: 110, p90: 125, p95: 130 }), "Mon: p50 110.0 (p10–p90 100.0–125.0, p95 130.0)");
  assert.equal(bandText({ name: "Tue", p10: null, p50: null, p90: null, p95: null }), "Tue: no forecast");
});

test("the capacity field takes places, nothing, or says no", () => {
  assert.equal(capacityValue(" 120 "), 120);
  assert.equal(capacityValue(""), null);
  assert.ok(Number.isNaN(capacityValue("-3")));
  assert.ok(Number.isNaN(capacityValue("lots")));
});

test("a what-if's figures each have a definition and its spaces a row", () => {
  const w = {
    p90_daily_peak: 117.8, p95_daily_peak: 119.8, needed_capacity: 130, sum_of_separate_needs: 134, shared_saving: 4,
    capacity: 150, days_over_capacity: 0, working_days: 59,
    spaces: [{ label: "Level 1", working_days: 59, p90_daily_peak: 50.6, needed_capacity: 56, capacity: 97 }],
  };
  const parts = whatIfParts(w);
  assert.deepEqual(parts.map(([label, text]) => [label, text]), [
    ["Combined p90 / p95 daily peak", "117.8 / 119.8"],
    ["Combined need", "130.0"],
    ["Sum of separate needs", "134.0"],
    ["Shared saving", "4.0 places"],
    ["Days over capacity", "0 of 59 working days above 150"],
  ]);
  for (const [, , id] of parts) assert.ok(definition(id), id);
  for (const id of ["forecast-quantiles", "overflow-risk", "expected-days", "coverage-80", "mae-p50", "mae-naive"]) assert.ok(definition(id), id);
  assert.equal(whatIfParts({ ...w, capacity: null }).length, 4);
  assert.deepEqual(spaceRows(w), [["Level 1", "59", "50.6", "56.0", "97.0"]]);
});
