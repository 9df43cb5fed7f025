// The Plan ahead tab: a forecast band per weekday against capacity (its history loaded by
// Rust as a view of its own, up to the loaded view's last day), a capacity field whose
// overflow risk follows the typing (recomputed in Rust from the history already loaded, no
// request), the backtest in words, and a what-if panel to combine floors or zone types.

import { call, channel } from "./api.js";
import { Command, V2_TABLES } from "./contract.js";
import { definition } from "./definitions.js";
import { clear, h } from "./dom.js";
import { backtestWords, capacityValue, expectedText, forecastRows, people, spaceRows, whatIfParts } from "./plan_ahead_text.js";
import { plural, siteName, zoneTypeLabel } from "./words.js";

const FETCH_ID = "plan-ahead";
const WHAT_IF_FETCH_ID = "plan-ahead-what-if";
// Typing a capacity recomputes once the typing pauses this long.
const DEBOUNCE_MS = 250;
const CHART_HEIGHT = 380;

// The forecast on screen: which view it was loaded for, the view of its history (`loaded`),
// the capacity typed, and the what-if picks. Kept between drawings of the tab.
const state = {
  key: null, loading: null, onProgress: null, loaded: null, capacity: "",
  mode: "floors", picked: new Set(), whatIfCapacity: "",
};

/** The options the forecast commands take: history up to the loaded view's last day. */
function options(capacity = capacityValue(state.capacity)) {
  return { asOf: state.loaded?.view.scope.to, capacity: Number.isNaN(capacity) ? null : capacity };
}

/**
 * Draws the tab into `panel` for the loaded Insights view. `ctx` carries what the Insights
 * view draws with: `showChart(container, chart, width, {alt})`, `fillFigures(dl, entries)`,
 * the theme and the connection.
 */
export async function renderPlanAhead(panel, ctx) {
  const { view } = ctx;
  const forecastPart = h("section", { class: "plan-ahead", dataset: { testid: "plan-ahead-forecast" } });
  const whatIfPart = h("section", { class: "plan-ahead", dataset: { testid: "what-if" } });
  clear(panel).append(forecastPart, whatIfPart);
  renderWhatIf(whatIfPart, ctx);
  // One load per Insights view: drawing the tab again (a tab switch, a visit elsewhere) reuses it.
  if (state.key !== view.id) {
    Object.assign(state, { key: view.id, loaded: null, capacity: "" });
    state.loading = loadForecast(view, ctx.connectionId);
  }
  const bar = h("progress", { max: 1, "aria-label": "Loading the history", dataset: { testid: "forecast-progress" } });
  state.onProgress = (p) => { bar.max = Math.max(1, p.chunksTotal); bar.value = p.chunksDone; };
  if (!state.loaded) clear(forecastPart).append(h("p", { class: "empty", role: "status" }, "Loading the history the forecast needs… ", bar));
  const key = state.key;
  try {
    await state.loading;
  } catch (e) {
    if (state.key === key) state.key = null;
    clear(forecastPart).append(h("p", { class: "note", role: "alert", dataset: { testid: "forecast-error" } }, `No forecast: ${e.message}`));
    return;
  }
  if (state.key !== key || !forecastPart.isConnected) return;
  drawForecast(forecastPart, ctx);
}

/** Loads the forecast's history as a view of its own; the capacity field starts at the place's. */
async function loadForecast(view, connectionId) {
  const loaded = await call(Command.forecast, {
    connectionId, query: { ...view.scope }, options: { asOf: view.scope.to }, fetchId: FETCH_ID,
    onProgress: channel((p) => state.onProgress?.(p)),
  });
  if (state.key !== view.id) return;
  state.loaded = loaded;
  const c = loaded.forecast.capacity;
  state.capacity = c == null ? "" : String(c);
}

/** The forecast's controls, chart, table and backtest, from `state.loaded`. */
function drawForecast(part, ctx) {
  const f = state.loaded.forecast;
  const input = h("input", {
    type: "number", min: "0", step: "1", value: state.capacity, inputmode: "numeric",
    dataset: { testid: "forecast-capacity" }, "aria-describedby": "forecast-capacity-problem",
  });
  const problem = h("span", { class: "field-error", id: "forecast-capacity-problem", role: "alert", dataset: { testid: "forecast-capacity-problem" } });
  const chart = h("div", { class: "chart", dataset: { testid: "chart-forecast" } }, h("p", { class: "empty" }, "Drawing…"));
  const table = h("div", { dataset: { testid: "forecast-table" } });
  const expected = h("p", { dataset: { testid: "forecast-expected" } });
  const backtest = h("div", { class: "backtest", dataset: { testid: "backtest" } });
  part.replaceChildren(
    h("h2", {}, `Forecast of daily peaks, ${f.forecast_from} to ${f.forecast_to}`),
    h("p", { class: "note", dataset: { testid: "forecast-basis" } },
      `From each weekday's peaks over the ${f.history_weeks} weeks ${f.history_from} to ${f.history_to}; left out: ${plural(f.closed_days, "closed day")} and ${plural(f.anomaly_days, "unusual day")}.`),
    h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Capacity to test"), input), problem,
    chart, expected, table, backtest,
  );
  let timer = null;
  input.addEventListener("input", () => {
    state.capacity = input.value;
    clearTimeout(timer);
    timer = setTimeout(() => update(), DEBOUNCE_MS);
  });
  const width = Math.max(600, Math.floor(part.clientWidth - 32));
  // Recomputed from the history in memory in Rust: no request, whatever is typed.
  const update = async () => {
    const capacity = capacityValue(input.value);
    if (Number.isNaN(capacity)) {
      problem.textContent = "A capacity is a number of places, 0 or more.";
      input.setAttribute("aria-invalid", "true");
      return;
    }
    problem.textContent = "";
    input.removeAttribute("aria-invalid");
    const viewId = state.loaded.view.id;
    try {
      const [forecast, drawn] = await Promise.all([
        call(Command.view_forecast, { viewId, options: options(capacity) }),
        call(Command.forecast_chart, { viewId, options: options(capacity), chart: { width, height: CHART_HEIGHT, theme: ctx.theme() } }),
      ]);
      if (state.loaded?.view.id !== viewId || input.value !== state.capacity) return;
      state.loaded.forecast = forecast;
      fillForecast(forecast, drawn, { chart, table, expected, width, ctx });
    } catch (e) {
      problem.textContent = e.message;
    }
  };
  fillBacktest(backtest, f.backtest, ctx);
  update();
}

function fillForecast(f, drawn, { chart, table, expected, width, ctx }) {
  const alt = `Forecast band per weekday, ${f.forecast_from} to ${f.forecast_to}: ${forecastRows(f)
    .map(([day, , p10, p50, p90]) => (p50 === "–" ? `${day} no forecast` : `${day} p50 ${p50} (p10–p90 ${p10}–${p90})`)).join("; ")}${f.capacity == null ? "" : `; capacity ${f.capacity}`}.`;
  ctx.showChart(chart, drawn, width, { alt });
  expected.textContent = expectedText(f);
  const quantiles = definition("forecast-quantiles");
  const heads = [["Weekday"], ["History days"], ["p10", quantiles], ["p50", quantiles], ["p90", quantiles], ["p95", quantiles],
    [f.capacity == null ? "Overflow risk" : `Overflow risk above ${f.capacity}`, definition("overflow-risk")], ["Why no forecast"]];
  table.replaceChildren(h("table", { class: "rows", dataset: { testid: "forecast-rows" } },
    h("thead", {}, h("tr", {}, heads.map(([label, title], i) => h("th", { class: i > 0 && i < 7 ? "num" : "", title }, label)))),
    h("tbody", {}, forecastRows(f).map((cells) => h("tr", { dataset: { testid: "forecast-row" } },
      cells.map((c, i) => h("td", { class: i > 0 && i < 7 ? "num" : "" }, c)))))));
}

function fillBacktest(part, b, ctx) {
  const figures = h("dl", { class: "figures", dataset: { testid: "backtest-figures" } });
  part.replaceChildren(
    h("h2", {}, "How the same forecast did on the last 8 weeks"),
    ...backtestWords(b).map((line) => h("p", { dataset: { testid: "backtest-words" } }, line)),
    figures,
  );
  ctx.fillFigures(figures, [
    ["Error of the forecast's middle", people(b.mae_p50), "mae-p50", "backtest-mae-p50"],
    ["Error of last week's value", people(b.mae_naive), "mae-naive", "backtest-mae-naive"],
    ["Coverage of the p10–p90 band", b.coverage_80 == null ? "–" : `${Math.round(b.coverage_80 * 100)} %`, "coverage-80", "backtest-coverage"],
  ]);
}

/** The what-if panel: tick floors or zone types of the building, combine, see the needs. */
function renderWhatIf(part, ctx) {
  const { view, detail } = ctx;
  const zoneTypes = V2_TABLES.includes(view.table) ? (detail?.zoneTypes ?? []) : [];
  const floors = (detail?.sites ?? []).map((s) => ({ kind: "site", id: s.id, label: siteName(detail, s) }));
  const types = zoneTypes.map((t) => ({ kind: "zoneType", id: t, label: zoneTypeLabel(t) }));
  if (!types.length) state.mode = "floors";
  const choices = state.mode === "floors" ? floors : types;
  const result = h("div", { dataset: { testid: "what-if-result" } });
  const capacity = h("input", {
    type: "number", min: "0", step: "1", value: state.whatIfCapacity, dataset: { testid: "what-if-capacity" },
    oninput: (e) => { state.whatIfCapacity = e.target.value; },
  });
  const pick = (c) => `${c.kind}:${c.id}`;
  const combine = h("button", { class: "primary", dataset: { testid: "what-if-combine" }, onclick: () => runWhatIf(result, ctx, choices) }, "Combine");
  part.replaceChildren(...[
    h("h2", {}, "What if they shared one space?"),
    h("p", { class: "note" }, `Tick ${types.length ? "floors or zone types" : "floors"}: their hourly occupancy over ${view.scope.from} to ${view.scope.to} is added up hour by hour, and the space they need together is set beside the sum of what each needs alone.`),
    types.length ? h("div", { class: "toolbar-row", role: "radiogroup", "aria-label": "Combine" },
      [["floors", "Floors"], ["types", "Zone types"]].map(([mode, label]) => h("label", { class: "check" },
        h("input", { type: "radio", name: "what-if-mode", value: mode, checked: state.mode === mode, dataset: { testid: `what-if-mode-${mode}` },
          onchange: () => { state.mode = mode; state.picked.clear(); renderWhatIf(part, ctx); } }), ` ${label}`))) : null,
    h("fieldset", { class: "what-if-choices", dataset: { testid: "what-if-choices" } },
      h("legend", {}, state.mode === "floors" ? "Floors" : "Zone types"),
      choices.map((c) => h("label", { class: "check" },
        h("input", { type: "checkbox", checked: state.picked.has(pick(c)), dataset: { testid: `what-if-pick-${c.id}` },
          onchange: (e) => { if (e.target.checked) state.picked.add(pick(c)); else state.picked.delete(pick(c)); } }),
        ` ${c.label}`))),
    h("div", { class: "toolbar-row" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Capacity to test (optional)"), capacity), combine),
    result,
  ].filter(Boolean));
}

async function runWhatIf(result, ctx, choices) {
  const { view } = ctx;
  const picked = choices.filter((c) => state.picked.has(`${c.kind}:${c.id}`));
  const spaces = picked.map(({ kind, id }) => ({ kind, id }));
  if (!spaces.length) {
    result.replaceChildren(h("p", { class: "field-error", role: "alert" }, "Tick at least one to combine."));
    return;
  }
  const capacity = capacityValue(state.whatIfCapacity);
  if (Number.isNaN(capacity)) {
    result.replaceChildren(h("p", { class: "field-error", role: "alert" }, "A capacity is a number of places, 0 or more."));
    return;
  }
  result.replaceChildren(h("p", { class: "empty", role: "status" }, `Loading ${plural(spaces.length, "space")} by the hour…`));
  let w;
  try {
    w = await call(Command.what_if, {
      connectionId: ctx.connectionId,
      request: { buildingId: view.scope.buildingId, spaces, groupId: view.scope.groupId, from: view.scope.from, to: view.scope.to, capacity },
      fetchId: WHAT_IF_FETCH_ID, onProgress: channel(() => {}),
    });
  } catch (e) {
    result.replaceChildren(h("p", { class: "note", role: "alert" }, `No what-if: ${e.message}`));
    return;
  }
  // Each space named as its box was (a zone type in words), in the order sent.
  w.spaces.forEach((space, i) => { space.label = picked[i]?.label ?? space.label; });
  const figures = h("dl", { class: "figures", dataset: { testid: "what-if-figures" } });
  result.replaceChildren(
    figures,
    h("table", { class: "rows", dataset: { testid: "what-if-spaces" } },
      h("thead", {}, h("tr", {}, ["Alone", "Working days", "p90 daily peak", "Needed", "Capacity"].map((c, i) => h("th", { class: i ? "num" : "" }, c)))),
      h("tbody", {}, spaceRows(w).map((cells) => h("tr", { dataset: { testid: "what-if-space" } },
        cells.map((c, i) => h("td", { class: i ? "num" : "" }, c)))))),
    ...(w.hours_left_out ? [h("p", { class: "note" }, `${plural(w.hours_left_out, "hour")} that only some of them have data for were left out.`)] : []),
  );
  ctx.fillFigures(figures, whatIfParts(w).map(([label, text, id]) => [label, text, id, `what-if-${id}`]));
}

/** Saves the forecast chart (SVG, PNG) or its figures (CSV) through the system dialog. */
export async function exportForecast(format, theme) {
  if (!state.loaded) return null;
  return call(Command.export_forecast, {
    viewId: state.loaded.view.id, options: options(), chart: { width: 1600, height: 900, theme }, format,
  });
}
