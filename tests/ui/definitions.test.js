import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DEFINITIONS, definition, planFigureId, summaryFigureId } from "../../ui/definitions.js";
import { planParts, summaryParts } from "../../ui/summary.js";
import { UtilizationBasis } from "../../ui/contract.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** Every summary figure the window can show: each peak basis, by the hour and by the day. */
function summaryLabels() {
  const full = {
    peak: 412, peak_at: "2026-05-12T11:00:00-05:00", mean: 183.4, mean_occupied: 240.2,
    capacity: 500, utilization_mean_pct: 36.7, utilization_peak_pct: 82.4, utilization_office_hours_pct: 61.2,
    busiest_weekday: 2, busiest_hour: 11, busiest_slot: { weekday: 3, hour: 11 },
    share_under_60: 0.9, share_60_100: 0.1, share_over_100: 0,
  };
  const labels = new Set();
  for (const peak_basis of ["occupancy_max", "hourly_sum_of_zone_means", "occupancy_mean"]) {
    for (const granularity of ["PT1H", "P1D"]) {
      for (const utilizationBasis of Object.values(UtilizationBasis)) {
        for (const [label] of summaryParts({ ...full, peak_basis }, { granularity, utilizationBasis })) labels.add(label);
      }
    }
  }
  return [...labels];
}

/** Every plan figure: a surplus and a shortfall. */
function planLabels() {
  const plan = { working_days: 20, p50_daily_peak: 60, p90_daily_peak: 77, p95_daily_peak: 78.5, buffer: 0.1, needed_capacity: 85, capacity: 100 };
  const labels = new Set();
  for (const surplus of [15, -32]) for (const [label] of planParts({ ...plan, surplus, surplus_pct: surplus })) labels.add(label);
  return [...labels];
}

test("every figure the window shows has a definition", () => {
  const summary = summaryLabels();
  assert.equal(summary.length, 11, summary.join(", "));
  for (const label of summary) assert.ok(definition(summaryFigureId(label)), `no definition for summary figure ${label}`);
  const plan = planLabels();
  assert.equal(plan.length, 6, plan.join(", "));
  for (const label of plan) assert.ok(definition(planFigureId(label)), `no definition for plan figure ${label}`);
});

test("each definition is the README's sentence, word for word, on its own line", () => {
  const lines = readme.split("\n");
  for (const [id, sentence] of Object.entries(DEFINITIONS)) {
    assert.ok(lines.includes(`- ${sentence}`), `README.md lacks the definition of ${id}: ${sentence}`);
  }
});

test("the definitions explain the means, over capacity and the shortfall's buffer", () => {
  assert.match(definition("mean"), /average/);
  assert.match(definition("mean-occupied"), /only the periods when anyone was present/);
  assert.match(definition("over-capacity"), /share of the range's periods/);
  assert.match(definition("utilization"), /all hours/);
  assert.match(definition("utilization-office-hours"), /08:00–18:00 on Monday to Friday/);
  for (const id of ["plan-shortfall", "plan-needed-capacity", "plan-surplus"]) {
    assert.ok(definition(id).includes("needed capacity = p90 daily peak + 10 % buffer"), id);
  }
  assert.match(definition("plan-shortfall"), /includes the buffer/);
  // The shortfall's own text says so too.
  const [, text] = planParts({ working_days: 3, surplus: -32, surplus_pct: -10.3, buffer: 0.1 }).at(-1);
  assert.equal(text, "32.0 (10 %), incl. 10 % buffer");
});
