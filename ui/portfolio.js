// Portfolio: every building of an InnerSpace connection at a glance, over one range (the last
// 90 days unless changed). One row per building, sortable by any column and coloured against
// the target band (Settings); a space-use scatter (per building, or per zone type of one
// building) and a ranking by surplus, both drawn in Rust. One progress ("7 of 23 buildings"),
// one Cancel; a building that failed shows its error in its row, the others stay.

import { call, channel } from "./api.js";
import { Command } from "./contract.js";
import { definition } from "./definitions.js";
import { showError, clearError } from "./banner.js";
import { h, clear } from "./dom.js";
import { isInnerspace, openBuildingInsights } from "./insights.js";
import { localToday, presetRange, rangeProblem } from "./ranges.js";
import { BAND_WORDS, COLUMNS, bandOf, progressText, sortRows } from "./portfolio_words.js";

const FETCH_ID = "portfolio";
const ZONE_TYPES_FETCH_ID = "portfolio-zone-types";

const state = {
  connectionId: null,
  from: null,
  to: null,
  portfolio: null,
  charts: null,
  sortKey: "surplus",
  // -1: largest first.
  sortDir: -1,
  running: false,
  progress: null,
  // The scatter's points: "" for buildings, else a building id (its zone types).
  points: "",
  zoneTypes: null,
  band: { lowPct: 60, highPct: 85 },
  ticket: 0,
};

let goTo = () => {};

function figureText(value, digits) {
  if (value === null || value === undefined) return "—";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** SVG from Rust as an image: it can never run script. */
function chartImage(svg, alt) {
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return h("img", { class: "chart-image", src: `data:image/svg+xml;base64,${btoa(binary)}`, alt, dataset: { testid: "chart-image" } });
}

export async function renderPortfolio(root, { connections, info, go }) {
  goTo = go;
  const usable = connections.filter(isInnerspace);
  if (!usable.some((c) => c.id === state.connectionId)) {
    state.connectionId = usable.find((c) => c.id === info?.defaultConnection)?.id ?? usable[0]?.id ?? null;
    state.portfolio = null;
    state.charts = null;
  }
  if (!state.from) Object.assign(state, presetRange("last90", info?.today ?? localToday()));
  try {
    state.band = await call(Command.target_band);
  } catch (e) {
    showError(e);
  }
  draw(root, usable, info);
}

function draw(root, usable, info) {
  const header = h("header", { class: "view-header" }, h("h1", {}, "Portfolio"));
  if (!usable.length) {
    clear(root).append(header, h("p", { class: "note", dataset: { testid: "portfolio-empty" } },
      "The portfolio needs an InnerSpace connection: add one under Credentials, or try the demo data."));
    return;
  }
  clear(root).append(header, controls(root, usable, info), body(root, usable, info));
}

function controls(root, usable, info) {
  const connection = h("select", {
    dataset: { testid: "portfolio-connection" }, "aria-label": "Connection",
    onchange: (e) => { state.connectionId = e.target.value; state.portfolio = null; draw(root, usable, info); },
  }, usable.map((c) => h("option", { value: c.id }, c.name)));
  connection.value = state.connectionId;
  const date = (testid, label, key) => h("label", { class: "picker" }, h("span", { class: "picker-label" }, label),
    h("input", { type: "date", value: state[key], dataset: { testid }, "aria-label": label,
      onchange: (e) => { state[key] = e.target.value; } }));
  const load = h("button", { class: "primary load", dataset: { testid: "portfolio-load" }, disabled: state.running,
    onclick: () => loadPortfolio(root, usable, info) }, "Load");
  return h("section", { class: "toolbar panel", dataset: { testid: "portfolio-toolbar" } },
    h("div", { class: "toolbar-row" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Connection"), connection),
      date("portfolio-from", "From", "from"), date("portfolio-to", "To", "to"), load),
    h("p", { class: "note", dataset: { testid: "portfolio-band" }, title: definition("target-band") },
      `Utilization is coloured against the target band ${state.band.lowPct}–${state.band.highPct} % (Settings). Figures by the hour; each building's dates are its local dates.`));
}

async function loadPortfolio(root, usable, info) {
  const problem = rangeProblem(state.from, state.to, info?.today ?? localToday());
  if (problem) {
    showError(problem);
    return;
  }
  const ticket = ++state.ticket;
  Object.assign(state, { running: true, progress: null, portfolio: null, charts: null, zoneTypes: null, points: "" });
  draw(root, usable, info);
  try {
    const width = Math.max(640, Math.min(1400, root.clientWidth - 32));
    const result = await call(Command.load_portfolio, {
      connectionId: state.connectionId, from: state.from, to: state.to,
      options: { width, height: 520, theme: currentTheme() },
      fetchId: FETCH_ID,
      onProgress: channel((p) => {
        if (ticket !== state.ticket) return;
        state.progress = p;
        const text = root.querySelector("[data-testid=portfolio-progress-text]");
        const bar = root.querySelector("[data-testid=portfolio-progress]");
        if (text) text.textContent = progressText(p);
        if (bar) Object.assign(bar, { max: Math.max(1, p.buildingsTotal), value: p.buildingsDone });
      }),
    });
    if (ticket !== state.ticket) return;
    Object.assign(state, { portfolio: result.portfolio, charts: result.charts });
    clearError();
  } catch (e) {
    if (ticket === state.ticket) showError(e);
  } finally {
    if (ticket === state.ticket) {
      state.running = false;
      draw(root, usable, info);
    }
  }
}

function body(root, usable, info) {
  if (state.running) {
    const bar = h("progress", { dataset: { testid: "portfolio-progress" }, max: 1, "aria-label": "Loading the portfolio" });
    const text = h("span", { class: "progress-text", dataset: { testid: "portfolio-progress-text" } },
      state.progress ? progressText(state.progress) : "Asking the service…");
    const cancel = h("button", { dataset: { testid: "portfolio-cancel" }, onclick: async () => {
      await call(Command.cancel_fetch, { fetchId: FETCH_ID });
    } }, "Cancel");
    return h("div", { class: "progress panel", role: "status" }, bar, text, cancel);
  }
  if (!state.portfolio) {
    return h("p", { class: "note", dataset: { testid: "portfolio-idle" } }, "Choose Load to see every building of the connection.");
  }
  return h("div", { class: "portfolio" },
    table(root, usable, info),
    h("section", { class: "panel", dataset: { testid: "portfolio-scatter" } },
      h("h2", {}, "Space use"),
      h("p", { class: "note" }, "How often each space is used (share of office hours on working days with anyone in) against how full it is when used (mean while occupied / capacity)."),
      pointsPicker(root, usable, info),
      scatterImage()),
    h("section", { class: "panel", dataset: { testid: "portfolio-surplus" } },
      h("h2", {}, "Ranking by surplus"),
      chartImage(state.charts.surplus.svg, "Buildings ranked by surplus seats, largest first; a shortfall below zero.")));
}

function scatterImage() {
  const chart = state.zoneTypes?.spaceUse ?? state.charts.spaceUse;
  const names = chart.points.map((p) => `${p.name}: used ${figureText(p.timeUsedPct, 0)} %, ${figureText(p.occupiedFillPct, 0)} % full`).join("; ");
  return chartImage(chart.svg, `Space use: ${names}`);
}

function pointsPicker(root, usable, info) {
  const rows = state.portfolio.buildings.filter((r) => !r.error);
  const el = h("select", {
    dataset: { testid: "portfolio-points" }, "aria-label": "Points",
    onchange: (e) => showZoneTypes(root, usable, info, e.target.value),
  }, h("option", { value: "" }, "One point per building"),
  rows.map((r) => h("option", { value: String(r.building_id) }, `Zone types of ${r.name}`)));
  el.value = state.points;
  return h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Points"), el);
}

async function showZoneTypes(root, usable, info, value) {
  state.points = value;
  state.zoneTypes = null;
  if (!value) {
    draw(root, usable, info);
    return;
  }
  const building = state.portfolio.buildings.find((r) => String(r.building_id) === value);
  const ticket = state.ticket;
  try {
    const width = Math.max(640, Math.min(1400, root.clientWidth - 32));
    const view = await call(Command.portfolio_zone_types, {
      connectionId: state.connectionId, buildingId: building.building_id,
      from: state.portfolio.from, to: state.portfolio.to,
      options: { width, height: 520, theme: currentTheme() }, fetchId: ZONE_TYPES_FETCH_ID,
    });
    if (ticket !== state.ticket || state.points !== value) return;
    state.zoneTypes = view;
    clearError();
  } catch (e) {
    showError(e);
    state.points = "";
  }
  draw(root, usable, info);
}

function table(root, usable, info) {
  const heading = (key, label, id) => {
    const sorted = state.sortKey === key;
    return h("th", { scope: "col", "aria-sort": sorted ? (state.sortDir > 0 ? "ascending" : "descending") : "none" },
      h("button", { class: "sort", dataset: { testid: `sort-${key}` }, title: id ? definition(id) : null, onclick: () => {
        state.sortDir = sorted ? -state.sortDir : key === "name" ? 1 : -1;
        state.sortKey = key;
        draw(root, usable, info);
      } }, label));
  };
  const rows = sortRows(state.portfolio.buildings, state.sortKey, state.sortDir).map((r) => {
    const open = h("button", { class: "link", dataset: { testid: "open-building" },
      title: "Open this building in Insights over the same range",
      onclick: () => {
        openBuildingInsights(state.connectionId, r.building_id, state.portfolio.from, state.portfolio.to);
        goTo("insights");
      } }, r.name);
    const name = h("th", { scope: "row" }, open);
    if (r.error) {
      return h("tr", { dataset: { testid: "portfolio-row", building: String(r.building_id) } }, name,
        h("td", { colspan: COLUMNS.length, class: "row-error", dataset: { testid: "row-error" } }, r.error));
    }
    return h("tr", { dataset: { testid: "portfolio-row", building: String(r.building_id) } }, name,
      COLUMNS.map(([key, , digits]) => {
        const band = key === "utilization_mean_pct" || key === "utilization_peak_pct" ? bandOf(r[key], state.band) : null;
        return h("td", { class: band ? `num band-${band}` : "num", title: band ? BAND_WORDS[band] : "", dataset: { key } },
          figureText(r[key], digits));
      }));
  });
  return h("div", { class: "table-wrap", role: "region", "aria-label": "Buildings", tabindex: "0" },
    h("table", { class: "rows", dataset: { testid: "portfolio-table" } },
      h("thead", {}, h("tr", {}, heading("name", "Building"), COLUMNS.map(([key, label, , id]) => heading(key, label, id)))),
      h("tbody", {}, rows)));
}

/** Settings → "Target band": the utilization the portfolio colours against; saved at once. */
export function targetBandSection() {
  const status = h("span", { class: "note", dataset: { testid: "target-band-status" }, role: "status" });
  const bound = (testid, label) => h("input", { type: "number", min: "0", max: "1000", step: "1", dataset: { testid }, "aria-label": label });
  const low = bound("target-low", "Lower bound (%)");
  const high = bound("target-high", "Upper bound (%)");
  const save = async () => {
    const band = { lowPct: Number(low.value), highPct: Number(high.value) };
    if (!Number.isInteger(band.lowPct) || !Number.isInteger(band.highPct)) {
      status.textContent = "Whole percentages, please.";
      return;
    }
    try {
      await call(Command.set_target_band, { band });
      state.band = band;
      status.textContent = "Saved.";
      clearError();
    } catch (e) {
      status.textContent = "";
      showError(e);
    }
  };
  low.addEventListener("change", save);
  high.addEventListener("change", save);
  call(Command.target_band).then((band) => {
    low.value = String(band.lowPct);
    high.value = String(band.highPct);
  }, showError);
  return h("section", { class: "panel", dataset: { testid: "target-band" } },
    h("h2", {}, "Target band"),
    h("div", { class: "form-actions start" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "From (%)"), low),
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "To (%)"), high),
      status),
    h("p", { class: "note" }, "The portfolio colours each building's utilization below, within or above this band, and counts the working days whose daily peak is above it."));
}
