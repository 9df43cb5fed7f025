// Insights: the analyst's home. Pickers (connection, building, floor/site, zone, granularity,
// metric, range), a fetch with progress and Cancel, and the rows in the building's local time.
// Until an InnerSpace connection exists it welcomes the user.

import { AppError, call, channel } from "./api.js";
import {
  ChartKind, Command, ConnectionKind, ErrorCode, ExportFormat, GRANULARITIES, Granularity, MAX_PAGE_ROWS,
  PREFERRED_METRICS, RowSortKey, TABS, Tab, V2_TABLES,
} from "./contract.js";
import { clearError, showError } from "./banner.js";
import { clear, h } from "./dom.js";
import { PRESETS, columnFormat, count, localToday, metricText, presetRange, rangeProblem } from "./ranges.js";
import { definition, planFigureId, summaryFigureId } from "./definitions.js";
import { anomalyText, hasTimeOfDay, nearestPoint, planParts, rectAt, summaryParts, weekdayName } from "./summary.js";
import { hourText, rowTime, shownZone, timeHeading, zoneLabel } from "./times.js";
import { chartText } from "./describe.js";
import { attachZoom, chartWindow, spanWords, zoomFor } from "./chart_zoom.js";
import { changedControls, controlsOf, staleText } from "./stale.js";
import { areaOf, controlsToRemember, restoredControls } from "./last_view.js";
import { nextSort, sortedBy } from "./table_sort.js";
import { exportForecast, renderPlanAhead } from "./plan_ahead.js";
import { bandText } from "./plan_ahead_text.js";
import { byPeriod, metricLabel, noDataText, placeWords, plural, siteName, siteNameById, summaryLine, zoneName, zoneTypeLabel } from "./words.js";

const PAGE_ROWS = Math.min(200, MAX_PAGE_ROWS);

// Kept between visits to the view, so flipping to Credentials and back shows the same view.
// Rust keeps the loaded view (its rows and everything drawn from them) under `view.id`; the
// window holds only what it shows: a page of rows, the figures, the charts' SVG.
const state = {
  connectionId: null,
  buildingId: null,
  siteId: null,
  zoneId: null,
  // v1 buildings whose rows carry several groups: the one picked; null is the connection's
  // group, else the everyone (all-…) group.
  groupId: null,
  granularity: Granularity.pt1h,
  metric: "",
  preset: "last30",
  from: null,
  to: null,
  buildings: [],
  detail: null,
  metrics: [],
  table: null,
  // The loaded view (ViewInfo): its id, scope, row count, time zone and provenance.
  view: null,
  // The controls the view was loaded with (`controlsOf`): the view is dimmed once they differ.
  loaded: null,
  tab: Tab.timeSeries,
  pendingBuilding: null,
  // A reopened view's floor/site, zone and group, applied once its building's detail is known.
  pendingArea: null,
  officeHours: false,
  page: 0,
  // The table's order (Rust's `RowSort`): null is time, as the service answered.
  sort: null,
  // The time display setting (app_info's `times`), fresh on every visit: a change in Settings
  // shows on the table, figures and charts as soon as the view is back.
  times: null,
  // app_info's `today`: a pinned calendar (OCCUDESK_TODAY) the date presets count from; null
  // is this computer's date.
  today: null,
  // app_info's `utilizationBasis` (Settings): which utilization the summary headlines.
  utilizationBasis: undefined,
};
let fetchSeq = 0;
// The building or area pick still finding its table and metrics, if any.
let picking = Promise.resolve();
// One load at a time: a new Load under this id cancels the one still running (in Rust).
const FETCH_ID = "insights-view";
// The load running now (its sequence number), or null: the body shows its progress.
let running = null;
// The progress of that load ({el, update}): kept here, so the view drawn again (after a visit
// to Credentials) shows the same bar, and the load's end lands in the view on screen.
let progressShown = null;
// The view on screen: each visit draws a new one.
let onScreen = null;

// Navigation (app.js `show`), for the actions of an error state ("Open Credentials").
let goTo = () => {};

/** "Today" for the date presets: the pinned calendar's, else this computer's. */
const today = () => state.today ?? localToday();

export const isInnerspace = (c) => [ConnectionKind.innerspaceV2, ConnectionKind.innerspaceV1, ConnectionKind.innerspaceToken].includes(c.kind);

/** Leaves the load still running, if any: its answer, data or error, is no longer shown. */
function abandonLoad() {
  if (running === null) return;
  fetchSeq += 1;
  running = null;
  call(Command.cancel_fetch, { fetchId: FETCH_ID }).catch(() => {});
}

/** After "Insights opens on" changes in Settings: the view opens on it when shown again. */
export function openInsightsAfresh() {
  abandonLoad();
  Object.assign(state, { connectionId: null, buildingId: null, buildings: [], detail: null, view: null });
}

/** "Try with demo data": Insights opens on the demo's first building and loads it. */
export function openDemoInsights() {
  openInsightsAfresh();
  state.demoStart = true;
}

/** The Portfolio's click on a building: Insights on it over the same range, by the hour, loaded. */
export function openBuildingInsights(connectionId, buildingId, from, to) {
  openInsightsAfresh();
  Object.assign(state, {
    connectionId, pendingBuilding: buildingId, preset: "custom", from, to,
    granularity: Granularity.pt1h, autoLoad: true,
  });
}

export function renderInsights(root, { connections, info, go, tryDemo }) {
  goTo = go;
  state.times = info?.times ?? null;
  state.today = info?.today ?? null;
  state.utilizationBasis = info?.utilizationBasis;
  const header = h("header", { class: "view-header" }, h("h1", {}, "Insights"));
  if (!connections.length) {
    clear(root).append(header, welcome(go, tryDemo));
    return;
  }
  const usable = connections.filter(isInnerspace);
  if (!usable.length) {
    clear(root).append(header,
      h("div", { class: "welcome", dataset: { testid: "insights-no-innerspace" } },
        h("h2", {}, "No InnerSpace connection yet"),
        h("p", {}, "Occupancy comes from InnerSpace. Add an InnerSpace connection under Credentials, or try the demo data."),
        h("div", { class: "form-actions start" },
          h("button", { class: "primary", onclick: () => go("credentials") }, "Open Credentials"),
        ),
      ));
    return;
  }
  if (state.demoStart && usable.some((c) => c.demo)) {
    state.demoStart = false;
    Object.assign(state, {
      connectionId: usable.find((c) => c.demo).id,
      buildingId: null, buildings: [], detail: null, view: null,
      pendingBuilding: "first", autoLoad: true,
    });
  }
  if (!usable.some((c) => c.id === state.connectionId)) {
    // Opens where the analyst left off: the connection and building last loaded.
    const remembered = usable.find((c) => c.id === info?.defaultConnection);
    Object.assign(state, {
      connectionId: (remembered ?? usable[0]).id,
      buildingId: null, buildings: [], detail: null, view: null,
      // The building last loaded there; a connection chosen in Settings without one opens on
      // its first building.
      pendingBuilding: remembered
        ? (info.defaultBuilding ?? (info.insightsConnection === remembered.id ? "first" : null))
        : null,
    });
    // The morning start: the view last loaded there, its controls as they were, loaded again
    // (complete days come from the cache).
    if (remembered && info.defaultBuilding && info.defaultView) {
      Object.assign(state, restoredControls(info.defaultView, today()), { autoLoad: true });
    }
  }
  const view = new InsightsView(root, header, usable);
  onScreen = view;
  view.render();
  if (!state.buildings.length) view.loadBuildings();
}

function welcome(go, tryDemo) {
  return h("div", { class: "welcome", dataset: { testid: "welcome" } },
    h("h2", {}, "Welcome to Occupancy Desk"),
    h("p", {}, "See how your buildings are used, hour by hour. Connect your InnerSpace or SpatiaFi account to begin."),
    h("p", { class: "note" }, "No account yet? Demo data shows five simulated buildings on three continents; nothing is written to your keyring."),
    h("div", { class: "form-actions start" },
      h("button", { class: "primary", dataset: { testid: "try-demo" }, onclick: tryDemo }, "Try with demo data"),
      h("button", { dataset: { testid: "welcome-add" }, onclick: () => go("credentials") }, "Add a connection"),
    ),
  );
}

function select(testid, label, options, value, onchange) {
  const el = h("select", { dataset: { testid }, "aria-label": label, onchange: (e) => onchange(e.target.value) },
    options.map(([v, text]) => h("option", { value: v }, text)));
  el.value = value ?? "";
  return h("label", { class: "picker" }, h("span", { class: "picker-label" }, label), el);
}

/** A picker whose name needs a sentence more: shown on hover, and read with the control. */
function withHint(picker, hint) {
  picker.title = hint;
  picker.querySelector("select")?.setAttribute("aria-description", hint);
  return picker;
}

/**
 * Runs `redraw` (which replaces what is in `root`) and gives focus back to where it was: the
 * element with the same data-testid, found again. A redraw never sends focus to the page.
 * Returns a function that does the same later, for a redraw that finishes after an await.
 */
function keepingFocus(root, redraw = () => {}) {
  const active = document.activeElement;
  const testid = active && active !== document.body && root.contains(active) ? active.dataset?.testid : null;
  redraw();
  // `instead`: where focus goes when its element is gone or disabled ({testid: other testid}).
  const restore = (instead = {}) => {
    if (!testid) return;
    const now = document.activeElement;
    // Somewhere else on purpose since: leave it there.
    if (now && now !== document.body && now.isConnected && now.dataset?.testid !== testid) return;
    const again = [testid, instead[testid]].filter(Boolean)
      .map((id) => root.querySelector(`[data-testid="${id}"]`))
      .find((el) => el && !el.disabled);
    again?.focus();
  };
  restore();
  return restore;
}

class InsightsView {
  constructor(root, header, connections) {
    this.root = root;
    this.header = header;
    this.connections = connections;
    this.body = h("div", { class: "insights-body" });
  }

  render() {
    keepingFocus(this.root, () => {
      clear(this.root).append(this.header, this.toolbar(), this.body);
      this.renderBody();
    });
  }

  toolbar() {
    const d = state.detail;
    const zones = (d?.zones ?? []).filter((z) => !state.siteId || z.siteId === state.siteId);
    if (!state.from) Object.assign(state, presetRange(state.preset, today()));
    const dateField = (testid, label) => h("input", {
      type: "date", dataset: { testid }, value: state[testid === "range-from" ? "from" : "to"], "aria-label": label,
      "aria-describedby": "range-problem",
    });
    const from = dateField("range-from", "From");
    const to = dateField("range-to", "To");
    const custom = () => {
      Object.assign(state, { preset: "custom", from: from.value, to: to.value });
      this.root.querySelector("[data-testid=range-preset]").value = "custom";
      this.checkRange();
      this.updateStale();
    };
    from.addEventListener("change", custom);
    to.addEventListener("change", custom);
    return h("section", { class: "toolbar panel", dataset: { testid: "insights-toolbar" } },
      h("div", { class: "toolbar-row" },
        select("pick-connection", "Connection", this.connections.map((c) => [c.id, c.name]), state.connectionId, (id) => {
          this.abandonLoad();
          Object.assign(state, { connectionId: id, buildingId: null, siteId: null, zoneId: null, groupId: null, buildings: [], detail: null, view: null, metric: "" });
          this.render();
          this.loadBuildings();
        }),
        select("pick-building", "Building",
          [["", state.buildings.length ? "Choose a building" : "Loading…"], ...state.buildings.map((b) => [String(b.id), b.name])],
          state.buildingId ? String(state.buildingId) : "",
          (id) => this.pickBuilding(id ? Number(id) : null)),
        select("pick-site", "Floor / site",
          [["", "Whole building"], ...(d?.sites ?? []).map((s) => [String(s.id), siteName(d, s)])],
          state.siteId ? String(state.siteId) : "",
          (id) => this.pickArea({ siteId: id ? Number(id) : null, zoneId: null })),
        select("pick-zone", "Zone",
          [["", "All zones"], ...zones.map((z) => [String(z.id), z.name ?? `Zone ${z.id}`])],
          state.zoneId ? String(state.zoneId) : "",
          (id) => this.pickArea({ zoneId: id ? Number(id) : null })),
        // Only v1 buildings list groups; a building with one group needs no choice.
        (d?.groups?.length ?? 0) > 1 ? select("pick-group", "Group",
          [["", "Default (everyone)"], ...d.groups.map((g) => [g, g])],
          state.groupId ?? "",
          (g) => { state.groupId = g || null; this.updateStale(); }) : null,
      ),
      h("div", { class: "toolbar-row" },
        select("pick-granularity", "Granularity", GRANULARITIES.map((g) => [g.value, g.label]), state.granularity, (g) => { state.granularity = g; this.updateStale(); }),
        // What the pick does, said in its name: it adds a column to the table (and the CSV);
        // every chart and figure counts people (the mean and the peak), whatever it is.
        withHint(select("pick-metric", "Table column",
          state.metrics.length ? state.metrics.map((m) => [m, metricLabel(m)]) : [["", "Default"]],
          state.metric, (m) => { state.metric = m; this.updateStale(); }),
        "Adds this measure to the table and its CSV. Charts and figures always count people: the mean and the peak."),
        select("range-preset", "Range", PRESETS.map((p) => [p.id, p.label]), state.preset, (id) => {
          state.preset = id;
          const range = presetRange(id, today());
          if (range) {
            Object.assign(state, range);
            from.value = range.from;
            to.value = range.to;
          }
          this.checkRange();
          this.updateStale();
        }),
        h("label", { class: "picker" }, h("span", { class: "picker-label" }, "From"), from),
        h("label", { class: "picker" }, h("span", { class: "picker-label" }, "To"), to),
        h("button", { class: "primary load", dataset: { testid: "load-insights" }, disabled: !state.buildingId, onclick: () => this.load() }, "Load"),
        // Days kept as final in the local cache are not asked for again; this asks for every
        // day of the range, for data the analyst suspects.
        h("button", {
          class: "reload", dataset: { testid: "reload-insights" }, disabled: !state.buildingId,
          title: "Ask the service for every day of this range again, also days kept in this computer's cache",
          onclick: () => this.load({ reload: true }),
        }, "Reload this range"),
      ),
      // Beside the dates: what is wrong with the range, before anything is sent.
      h("p", { class: "field-error range-problem", id: "range-problem", role: "alert", dataset: { testid: "range-problem" } }),
    );
  }

  /**
   * Checks the range as typed; marks the date field at fault and says why beside the dates.
   * Returns the problem, or null.
   */
  checkRange() {
    const field = (id) => this.root.querySelector(`[data-testid=range-${id}]`);
    const problem = rangeProblem(field("from")?.value, field("to")?.value, today());
    for (const id of ["from", "to"]) {
      if (problem?.field === id) field(id)?.setAttribute("aria-invalid", "true");
      else field(id)?.removeAttribute("aria-invalid");
    }
    const text = this.root.querySelector("[data-testid=range-problem]");
    if (text) text.textContent = problem?.message ?? "";
    return problem;
  }

  async loadBuildings() {
    const id = state.connectionId;
    try {
      const buildings = await call(Command.buildings, { connectionId: id });
      if (state.connectionId !== id) return;
      state.buildings = buildings;
      clearError();
    } catch (e) {
      showError(e);
    }
    const pending = state.pendingBuilding;
    const area = state.pendingArea ?? {};
    Object.assign(state, { pendingBuilding: null, pendingArea: null });
    if (pending === "first" && state.buildings.length && !state.buildingId) await this.pickBuilding(state.buildings[0].id);
    else if (pending && state.buildings.some((b) => b.id === pending)) await this.pickBuilding(pending, area);
    else this.render();
    // A demo start, or a reopened view, shows data at once, not a form to fill in; once.
    const autoLoad = state.autoLoad && state.buildingId;
    state.autoLoad = false;
    if (autoLoad) await this.load();
  }

  pickBuilding(buildingId, area) {
    picking = this.chooseBuilding(buildingId, area);
    return picking;
  }

  /** A building, and then a floor/site, zone or group of it (a reopened view's), if it still has them. */
  async chooseBuilding(buildingId, area = {}) {
    this.abandonLoad();
    Object.assign(state, { buildingId, siteId: null, zoneId: null, groupId: null, detail: null, view: null });
    this.render();
    if (!buildingId) return;
    try {
      const detail = await call(Command.building_detail, { connectionId: state.connectionId, buildingId });
      if (state.buildingId !== buildingId) return;
      state.detail = detail;
      clearError();
    } catch (e) {
      showError(e);
    }
    await this.pickArea(areaOf(state.detail, area));
  }

  /** A new floor/site or zone: find the table that answers it and its metrics. A Load
   * pressed meanwhile waits for this (see `picking`). */
  pickArea(change) {
    picking = this.chooseArea(change);
    return picking;
  }

  async chooseArea(change) {
    // The view stays on screen, dimmed once it no longer answers the controls.
    Object.assign(state, change);
    this.updateStale();
    try {
      const picked = { site: !!state.siteId, zone: !!state.zoneId, zoneType: false };
      state.table = await call(Command.insight_table, { connectionId: state.connectionId, picked });
      state.metrics = await call(Command.insight_metrics, { connectionId: state.connectionId, table: state.table });
      if (!state.metrics.includes(state.metric)) {
        state.metric = PREFERRED_METRICS.find((m) => state.metrics.includes(m)) ?? state.metrics[0] ?? "";
      }
    } catch (e) {
      showError(e);
    }
    this.render();
  }

  async load({ reload = false } = {}) {
    // A building, floor or zone just chosen may still be finding its table and metrics: a
    // load sent now would ask for the old table with the new filter.
    await picking;
    const problem = this.checkRange();
    if (problem) {
      // Nothing is sent: the reason is beside the dates, and the field at fault has focus.
      this.root.querySelector(`[data-testid=range-${problem.field}]`)?.focus();
      return;
    }
    const from = this.root.querySelector("[data-testid=range-from]").value;
    const to = this.root.querySelector("[data-testid=range-to]").value;
    Object.assign(state, { from, to, view: null, page: 0, sort: null });
    // Only the analyst's pick: Rust adds the mean and the peak every figure and chart reads.
    const query = {
      table: state.table,
      buildingId: state.buildingId,
      siteId: state.siteId,
      zoneId: state.zoneId,
      groupId: state.groupId,
      granularity: state.granularity,
      from,
      to,
      metrics: state.metric ? [state.metric] : [],
    };
    // The controls as sent: the view answers these until the next Load.
    const sent = controlsOf(state);
    const seq = ++fetchSeq;
    running = seq;
    clearError();
    const progress = this.showProgress(FETCH_ID, seq);
    let view;
    try {
      view = await call(Command.fetch_insights, {
        connectionId: state.connectionId, query, reload, fetchId: FETCH_ID, onProgress: channel(progress.update),
      });
    } catch (e) {
      if (seq !== fetchSeq) return;
      running = null;
      const here = onScreen ?? this;
      // A cancelled or failed fetch shows no rows at all: never a partial table.
      if (e.code === ErrorCode.cancelled) here.cancelled();
      else here.failed(e, () => here.load({ reload }));
      return;
    }
    if (seq !== fetchSeq) return;
    running = null;
    state.view = view;
    state.loaded = sent;
    rememberView();
    (onScreen ?? this).renderBody();
  }

  abandonLoad() {
    abandonLoad();
  }

  /** The body after Cancel: nothing was loaded, and Load starts again. */
  cancelled() {
    this.state("insights-cancelled", "Cancelled. Nothing was loaded; choose Load to start again.");
  }

  /**
   * The body after a failed load: what happened, in place of the progress, with one action
   * where one helps (try again; the connection's settings when its sign-in failed).
   */
  failed(e, retry) {
    const auth = typeof e.code === "string" && e.code.startsWith("auth.");
    const action = e.code === ErrorCode.invalidInput
      ? null
      : auth
        ? h("button", { dataset: { testid: "load-error-action" }, onclick: () => goTo("credentials") }, "Open Credentials")
        : h("button", { dataset: { testid: "load-error-action" }, onclick: retry }, "Try again");
    this.state("load-error", `Nothing was loaded. ${e.message ?? e}`, action, { alert: true, code: e.code });
  }

  /** One line in the body where the result goes (an empty, cancelled or failed load). */
  state(testid, message, action = null, { alert = false, code = "" } = {}) {
    clear(this.body).append(h("div", {
      class: `load-state panel${alert ? " bad" : ""}`, role: alert ? "alert" : "status", dataset: { testid, code },
    }, h("p", {}, message), action));
  }

  showProgress(fetchId, seq) {
    const bar = h("progress", { dataset: { testid: "fetch-progress" }, max: 1, "aria-label": "Loading" });
    const text = h("span", { class: "progress-text", dataset: { testid: "fetch-progress-text" } }, "Asking the service…");
    // Cancel ends the wait at once: whatever Rust answers for this load afterwards is dropped,
    // so the body never waits on an answer that may not come.
    const cancel = h("button", { dataset: { testid: "cancel-fetch" }, onclick: () => {
      if (seq !== fetchSeq) return;
      fetchSeq += 1;
      running = null;
      call(Command.cancel_fetch, { fetchId }).catch(showError);
      const here = onScreen ?? this;
      here.cancelled();
      here.root.querySelector("[data-testid=load-insights]")?.focus();
    } }, "Cancel");
    const el = h("div", { class: "progress panel", role: "status" }, bar, text, cancel);
    progressShown = {
      el,
      update: (p) => {
        bar.max = Math.max(1, p.chunksTotal);
        bar.value = p.chunksDone;
        text.textContent = `${p.chunksDone} of ${plural(p.chunksTotal, "part")} · ${plural(p.rows, "row")}`;
      },
    };
    clear(this.body).append(el);
    return progressShown;
  }

  renderBody() {
    keepingFocus(this.body, () => this.drawBody());
  }

  drawBody() {
    const r = state.view;
    if (running !== null && progressShown) {
      clear(this.body).append(progressShown.el);
      return;
    }
    if (!r) {
      clear(this.body).append(h("p", { class: "empty", dataset: { testid: "insights-hint" } },
        state.buildingId ? "Choose a range and Load." : "Choose a building."));
      return;
    }
    const [rowCount, ...about] = summaryLine(r, state.detail);
    const line = h("div", { class: "result-summary", dataset: { testid: "result-summary" } },
      h("strong", {}, rowCount),
      about.map((part) => ` · ${part}`).join(""),
      h("span", { class: "tz", dataset: { testid: "result-time-zone" } }, zoneLabel(state.times, r)),
    );
    // Over the result while the controls differ from those it was loaded with.
    const stale = h("div", { class: "stale-notice", id: "stale-notice", role: "status", dataset: { testid: "stale-notice" }, hidden: true },
      h("span", { class: "stale-text" }),
      h("button", {
        class: "primary", dataset: { testid: "stale-load" },
        // This button goes with the notice: focus moves to the toolbar's Load, which stays.
        onclick: () => { this.root.querySelector("[data-testid=load-insights]")?.focus(); this.load(); },
      }, "Load"));
    const result = h("div", { class: "result", dataset: { testid: "result" } });
    clear(this.body).append(stale, result);
    if (!r.rows) {
      // An empty state, not empty charts: why there is nothing, and what to try.
      result.append(line, h("div", { class: "load-state panel", role: "status", dataset: { testid: "insights-empty" } },
        h("p", {}, r.provenance?.offline && r.notice ? r.notice : noDataText(r, state.detail))));
      this.updateStale();
      return;
    }
    const figures = h("dl", { class: "figures", dataset: { testid: "summary-figures" } });
    const tab = this.tab();
    const offered = this.tabs();
    // The ARIA tabs pattern: one tab in the Tab order (the selected one), arrows and
    // Home/End move between them and show the tab at once.
    const choose = (id, focus = false) => {
      state.tab = id;
      rememberView();
      this.renderBody();
      if (focus) this.body.querySelector(`[data-testid=tab-${id}]`)?.focus();
    };
    const tabs = h("div", {
      class: "tabs", role: "tablist", "aria-label": "Views of the result",
      onkeydown: (e) => {
        const at = offered.findIndex((t) => t.id === tab.id);
        const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: offered.length - 1 }[e.key];
        if (to === undefined) return;
        e.preventDefault();
        choose(offered[(to + offered.length) % offered.length].id, true);
      },
    }, offered.map(({ id, label }) => h("button", {
      role: "tab", class: "tab", id: `tab-${id}`, dataset: { testid: `tab-${id}` },
      "aria-selected": String(tab.id === id), "aria-controls": "insights-tabpanel", tabindex: tab.id === id ? "0" : "-1",
      onclick: () => choose(id),
    }, label)));
    const unfit = unfitReason(tab, r);
    const exportButtons = h("div", { class: "export", dataset: { testid: "export" } },
      h("span", { class: "picker-label" }, "Export"),
      Object.values(ExportFormat).map((format) => h("button", {
        dataset: { testid: `export-${format}` },
        disabled: !!unfit || !tab.exportFormats.includes(format),
        onclick: () => this.exportChart(format),
      }, format.toUpperCase())),
      // The whole view as one HTML file to hand on, whichever tab is shown.
      h("button", { dataset: { testid: "export-report" }, onclick: () => this.exportReport() }, "Export report…"));
    const panel = h("div", {
      class: "tab-panel panel", role: "tabpanel", id: "insights-tabpanel", "aria-labelledby": `tab-${tab.id}`, tabindex: "0",
      dataset: { testid: `panel-${tab.id}` },
    });
    result.append(...[
      line,
      // Offline views say so prominently: the rows are what this computer kept, not the service's latest.
      r.provenance?.offline
        ? h("p", { class: "note offline", role: "status", dataset: { testid: "insights-offline" } }, r.notice ?? "Offline: cached data.")
        : r.notice ? h("p", { class: "note", dataset: { testid: "insights-notice" } }, r.notice) : null,
      figures,
      h("div", { class: "tab-bar" }, tabs, exportButtons),
      panel,
    ].filter(Boolean));
    this.updateStale();
    // One summary per drawing of the view: the figures and the charts' descriptions read it.
    // They follow a zoomed time series when asked to (chart_zoom.js), else the whole range.
    const zoom = zoomFor(r.id);
    this.summaryFor(zoom.follow ? zoom.window : null);
    if (unfit) panel.append(h("p", { class: "note", dataset: { testid: "tab-unfit" } }, unfit));
    else if (tab.id === Tab.table) this.renderTable(panel);
    else if (tab.id === Tab.planning) this.renderPlanning(panel);
    else if (tab.id === Tab.planAhead) {
      renderPlanAhead(panel, { view: r, detail: state.detail, connectionId: state.connectionId, theme: currentTheme, showChart, fillFigures });
    }
    else this.renderChart(panel);
  }

  /** Dims the result, and says so, while the controls differ from those it was loaded with. */
  updateStale() {
    const changed = state.view ? changedControls(state.loaded, controlsOf(state)) : [];
    const notice = this.body.querySelector("[data-testid=stale-notice]");
    if (!notice) return;
    notice.hidden = !changed.length;
    notice.querySelector(".stale-text").textContent = changed.length ? staleText(changed) : "";
    const result = this.body.querySelector("[data-testid=result]");
    result?.classList.toggle("stale", changed.length > 0);
    if (changed.length) result?.setAttribute("aria-describedby", "stale-notice");
    else result?.removeAttribute("aria-describedby");
  }

  async fillSummary(figures) {
    const s = await this.summary;
    if (!s) return;
    {
      const parts = summaryParts(s, {
        clock: state.times?.clock,
        buildingTime: shownZone(state.times, state.view ?? {}).building,
        granularity: state.view.granularity,
        buildingZone: state.view.timeZone,
        utilizationBasis: state.utilizationBasis,
      });
      fillFigures(figures, parts.map(([label, text, id]) =>
        [label, text, summaryFigureId(label), `figure-${id ?? label.toLowerCase().replace(/ /g, "-")}`]));
    }
  }

  /** The summary figures again, for the zoomed time series' visible window (null: the whole range). */
  summaryFor(window) {
    const figures = this.body.querySelector("[data-testid=summary-figures]");
    if (!figures || !state.view) return;
    this.summary = call(Command.summary, { viewId: state.view.id, ...(window ? { window } : {}) }).catch((e) => {
      showError(e);
      return null;
    });
    // Every figure says what it is: these are for the visible range, not the loaded one.
    let scope = figures.previousElementSibling;
    if (!scope?.classList.contains("figures-scope")) {
      scope = h("p", { class: "note figures-scope", dataset: { testid: "figures-scope" } });
      figures.before(scope);
    }
    scope.hidden = !window;
    const zone = zoomFor(state.view.id).timeZone ?? state.view.timeZone;
    scope.textContent = window ? `Figures for the visible range: ${spanWords(window, zone)}` : "";
    this.fillSummary(figures);
  }

  /** The tabs for this connection (v1 also publishes how many days a week people come). */
  tabs() {
    const kind = this.connections.find((c) => c.id === state.connectionId)?.kind;
    return TABS.filter((t) => !t.kinds.length || t.kinds.includes(kind));
  }

  /** The current tab's spec (the first one when it is not offered for this connection). */
  tab() {
    const tabs = this.tabs();
    return tabs.find((t) => t.id === state.tab) ?? tabs[0];
  }

  /** The kinds drawn on the current tab: one chart, or the comparison and the ranking. */
  chartKinds() {
    const tab = this.tab();
    return state.officeHours && tab.officeHoursCharts.length ? tab.officeHoursCharts : tab.charts;
  }

  async renderChart(panel, kinds = this.chartKinds()) {
    const controls = this.tab().officeHoursCharts.length
      ? h("label", { class: "check" },
          h("input", { type: "checkbox", dataset: { testid: "office-hours" }, checked: !!state.officeHours,
            onchange: (e) => { state.officeHours = e.target.checked; this.renderBody(); } }),
          " Office hours only (08–18, Monday to Friday)")
      : null;
    const charts = kinds.map((kind) => h("div", { class: "chart", dataset: { testid: `chart-${kind}` } },
      h("p", { class: "empty" }, "Drawing…")));
    clear(panel).append(...[controls, ...charts].filter(Boolean));
    const width = Math.max(600, Math.floor(panel.clientWidth - 32));
    for (const [i, kind] of kinds.entries()) {
      // The time series zooms: Rust draws the visible window again from the rows it holds.
      const zoom = kind === ChartKind.timeSeries ? zoomFor(state.view.id) : null;
      const draw = async () => {
        const chart = await call(Command.chart, {
          viewId: state.view.id, kind,
          options: { width, height: kind === ChartKind.ranking || kind === ChartKind.planning ? 360 : kind === ChartKind.compare ? 640 : 420, theme: currentTheme() },
          ...(zoom ? { window: chartWindow(zoom) } : {}),
        });
        // A time series of days, weeks or months in the building's time, or drawn as daily
        // figures: its points are days, told by their date, not "00:00".
        const days = kind === ChartKind.timeSeries && (chart.hover?.days || (!hasTimeOfDay(state.view.granularity)
          && shownZone(state.times, state.view).building));
        showChart(charts[i], chart, width, { days, alt: await this.describe(kind, chart) });
        if (zoom) attachZoom(charts[i], chart, zoom, { width, redraw: () => draw().catch(showError), figures: (w) => this.summaryFor(w) });
      };
      try {
        await draw();
      } catch (e) {
        clear(charts[i]).append(h("p", { class: "note" }, e.message));
      }
    }
  }

  /** The chart in one sentence with its main figures, for its text alternative. */
  async describe(kind, chart) {
    const r = state.view;
    const building = state.detail?.building.name;
    const where = placeWords(state.detail, r.scope);
    // Compare, the ranking and the plan by zone type look beyond a picked zone: their place
    // is the building's (or the floor's), as their titles say.
    const zones = kind === ChartKind.compare || kind === ChartKind.ranking;
    const place = zones && r.scope.zoneId
      ? [building, r.scope.siteId ? placeWords(state.detail, { siteId: r.scope.siteId }) : null].filter(Boolean).join(", ")
      : [building, where === "Whole building" ? null : where].filter(Boolean).join(", ");
    const timed = kind === ChartKind.timeSeries || kind === ChartKind.compare;
    const summary = kind === ChartKind.timeSeries ? await this.summary : null;
    return chartText(kind, chart, {
      place,
      // A long range of hours or quarters is drawn as daily figures: its words say so.
      period: !timed ? "" : chart.hover?.days && hasTimeOfDay(r.granularity) ? "as daily peak and mean" : byPeriod(r.granularity),
      range: `${r.scope.from} to ${r.scope.to}`,
      capacity: summary?.capacity,
      percent: (zones && chart.svg.includes("% of capacity")),
      clock: state.times?.clock,
    });
  }

  /** The plan's figures, its chart, the plan per zone type (v2) and the unusual days. */
  async renderPlanning(panel) {
    const figures = h("dl", { class: "figures", dataset: { testid: "plan-figures" } }, h("dd", { class: "empty" }, "Computing…"));
    const byType = h("div", { dataset: { testid: "plan-by-zone-type" } });
    const unusual = h("div", { dataset: { testid: "anomalies" } });
    const chart = h("div", { class: "chart", dataset: { testid: "chart-planning" } });
    clear(panel).append(figures, chart, byType, unusual);
    const args = { viewId: state.view.id };
    try {
      const [plan] = await call(Command.plan, args);
      fillFigures(figures, planParts(plan).map(([label, text]) => [label, text, planFigureId(label)]));
    } catch (e) {
      clear(figures).append(h("dd", { class: "note" }, e.message));
    }
    await this.renderChart(chart, this.tab().charts);
    // Zone types exist on InnerSpace v2 only.
    if (V2_TABLES.includes(state.view.table)) {
      try {
        const plans = await call(Command.plan, { ...args, byZoneType: true });
        // Zone types are the building's: a floor or zone filter does not narrow them.
        const scope = state.view.scope;
        const filtered = scope.zoneId ? "zone" : scope.siteId ? "floor" : null;
        byType.append(h("h2", { dataset: { testid: "plan-by-zone-type-title" } }, filtered
          ? `By zone type, whole building (not only this ${filtered}), most surplus first`
          : "By zone type, most surplus first"), zoneTypeTable(plans));
      } catch (e) {
        byType.append(h("p", { class: "note" }, `By zone type: ${e.message}`));
      }
    }
    try {
      const found = await call(Command.anomalies, args);
      unusual.append(h("h2", {}, "Unusual working days"),
        found.length
          ? h("ul", { class: "anomalies" }, found.map((a) => h("li", { dataset: { testid: "anomaly" } }, anomalyText(a))))
          : h("p", { class: "note" }, "None: every working day was close to the same weekday in the 8 weeks before it."));
    } catch (e) {
      unusual.append(h("p", { class: "note" }, `Unusual days: ${e.message}`));
    }
  }

  /** A page of the view's rows, asked of Rust: the window never holds the whole table. */
  async renderTable(panel) {
    const r = state.view;
    const d = state.detail;
    const buildingName = d?.building.name ?? `Building ${state.buildingId}`;
    const entity = (row) => row.zoneId ? zoneName(d, row.zoneId)
      : row.zoneType ? zoneTypeLabel(row.zoneType)
        : row.siteId && r.scope.siteId ? siteNameById(d, row.siteId) : buildingName;
    const pages = Math.max(1, Math.ceil(r.rows / PAGE_ROWS));
    state.page = Math.min(state.page, pages - 1);
    const first = state.page * PAGE_ROWS;
    // A page turn keeps the page on screen (and focus on Previous or Next) until the next
    // one is here; the first page says it is coming.
    const restoreFocus = keepingFocus(panel);
    if (!panel.querySelector("[data-testid=insight-rows]")) clear(panel).append(h("p", { class: "empty" }, "Reading rows…"));
    let page;
    try {
      page = await call(Command.view_rows, { viewId: r.id, offset: first, limit: PAGE_ROWS, sort: state.sort });
    } catch (e) {
      clear(panel).append(h("p", { class: "note" }, e.message));
      return;
    }
    if (state.view !== r) return;
    // Each heading sorts the whole table (in Rust) by its column; again for the other way.
    const sortHeading = (key, label, attrs = {}) => {
      const current = sortedBy(state.sort, key);
      return h("th", { ...attrs, "aria-sort": current ?? "none" },
        h("button", {
          class: "sort", dataset: { testid: `sort-${key.by}-${key.column}` },
          onclick: () => {
            state.sort = nextSort(state.sort, key);
            state.page = 0;
            this.renderTable(panel);
          },
        }, label));
    };
    // One format per column, so a column never mixes "0", "1.61" and "5".
    const formats = page.columns.map((c, i) => columnFormat(c, page.rows.map((row) => row.values[i])));
    const turn = (by) => {
      state.page = Math.max(0, Math.min(pages - 1, state.page + by));
      this.renderTable(panel);
    };
    const pager = h("div", { class: "pager" },
      h("button", { dataset: { testid: "page-prev" }, disabled: state.page === 0, onclick: () => turn(-1) }, "Previous"),
      h("span", { dataset: { testid: "page-info" } },
        page.total ? `Rows ${count(first + 1)}–${count(first + page.rows.length)} of ${count(page.total)}` : "No rows"),
      h("button", { dataset: { testid: "page-next" }, disabled: state.page >= pages - 1, onclick: () => turn(1) }, "Next"),
    );
    clear(panel).append(
      h("div", { class: "table-wrap", role: "region", "aria-label": "Rows (scrolls)", tabindex: "0" },
        h("table", { class: "rows", dataset: { testid: "insight-rows" } },
          h("thead", {}, h("tr", {},
            sortHeading({ by: RowSortKey.time, column: 0 }, timeHeading(state.times), { dataset: { testid: "rows-time-heading" } }),
            sortHeading({ by: RowSortKey.where, column: 0 }, "Where"),
            page.columns.map((c, column) => sortHeading({ by: RowSortKey.value, column }, metricLabel(c), { class: "num", title: c })))),
          h("tbody", {}, page.rows.map((row) => h("tr", { dataset: { testid: "insight-row" } },
            h("td", { dataset: { testid: "row-local-time" } }, rowTime(row, state.times, r)),
            h("td", {}, entity(row)),
            row.values.map((v, i) => h("td", { class: "num" }, formats[i](v))),
          ))),
        ),
      ),
      pager,
    );
    // On the last page Next is disabled: focus goes to Previous, and the other way round.
    restoreFocus({ "page-next": "page-prev", "page-prev": "page-next" });
  }

  /** Saves the current chart (the time series for the Table tab) through the system dialog. */
  async exportChart(format) {
    if (this.tab().id === Tab.planAhead) {
      try {
        const path = await exportForecast(format, currentTheme());
        if (path) this.saved(path);
      } catch (e) {
        showError(e);
      }
      return;
    }
    const kind = this.chartKinds()[0] ?? this.tab().exportChart;
    const width = 1600;
    try {
      const path = await call(Command.export_chart, {
        viewId: state.view.id, kind, format,
        options: { width, height: 900, theme: currentTheme() },
      });
      if (path) this.saved(path);
    } catch (e) {
      showError(e);
    }
  }

  /** Saves the view's report (figures, definitions and charts in one HTML file) through the system dialog. */
  async exportReport() {
    try {
      const path = await call(Command.export_report, { viewId: state.view.id });
      if (path) this.saved(path);
    } catch (e) {
      showError(e);
    }
  }

  /** "Saved <path>" under the tabs, with a button that shows the file in its folder. */
  saved(path) {
    const old = this.body.querySelector("[data-testid=export-done]");
    old?.remove();
    const show = h("button", {
      class: "link", dataset: { testid: "show-in-folder" },
      onclick: () => call(Command.show_in_folder, { path }).then(clearError, showError),
    }, "Show in folder");
    this.body.querySelector(".tab-bar")?.after(
      h("p", { class: "note", dataset: { testid: "export-done" }, role: "status" }, `Saved ${path} `, show));
  }
}

/**
 * Why a tab cannot show this view, in one line, or null. The heatmap is hours of the day:
 * periods of a day or longer all start at midnight.
 */
function unfitReason(tab, view) {
  if (tab.id !== Tab.heatmap || hasTimeOfDay(view.granularity)) return null;
  const label = GRANULARITIES.find((g) => g.value === view.granularity)?.label ?? view.granularity;
  const hourly = GRANULARITIES.filter((g) => hasTimeOfDay(g.value)).map((g) => g.label).join(" or ");
  return `The heatmap shows the hours of each weekday; by ${label.toLowerCase()} there is no hour of the day. Choose ${hourly} and Load to see it.`;
}

function zoneTypeTable(plans) {
  const columns = [["p90 daily peak", "p90_daily_peak"], ["Needed", "needed_capacity"], ["Capacity", "capacity"], ["Surplus", "surplus"]];
  const formats = columns.map(([label, key]) => {
    const format = columnFormat(label, plans.map((p) => p[key]));
    return (v) => (v == null ? "–" : format(v));
  });
  return h("table", { class: "rows" },
    h("thead", {}, h("tr", {}, ["Zone type", ...columns.map(([label]) => label)].map((c, i) => h("th", { class: i ? "num" : "" }, c)))),
    h("tbody", {}, plans.map((p) => h("tr", { dataset: { testid: "zone-type-plan" } },
      h("td", {}, zoneTypeLabel(p.zone_type)),
      columns.map(([, key], i) => h("td", { class: "num" }, formats[i](p[key])))))));
}

function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** SVG from Rust as an image (it can never run script), with a tooltip from the hover map. */
function showChart(container, chart, width, { days = false, alt = "" } = {}) {
  const bytes = new TextEncoder().encode(chart.svg);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const img = h("img", { src: `data:image/svg+xml;base64,${btoa(binary)}`, alt, dataset: { testid: "chart-image" } });
  const tip = h("div", { class: "tooltip", dataset: { testid: "chart-tooltip" }, hidden: true });
  const markers = chart.hover?.markers ?? [];
  // The flagged x positions, for keyboard-free checks (tests) of what a hover would show.
  const wrap = h("div", { class: "chart-wrap", dataset: { width: String(width), markers: markers.map((m) => m.x).join(",") } }, img, tip);
  wrap.addEventListener("mousemove", (e) => {
    const box = img.getBoundingClientRect();
    const scale = width / box.width;
    const x = (e.clientX - box.left) * scale;
    const y = (e.clientY - box.top) * scale;
    const text = tooltipText(chart, x, y, days);
    tip.hidden = !text;
    if (text) {
      tip.textContent = text;
      // Right of the pointer, or left of it in the right part of the chart, so it stays inside.
      const px = e.clientX - box.left;
      tip.style.left = px > box.width * 0.6 ? `${Math.max(0, px - tip.offsetWidth - 12)}px` : `${px + 12}px`;
      tip.style.top = `${e.clientY - box.top + 12}px`;
    }
  });
  wrap.addEventListener("mouseleave", () => { tip.hidden = true; });
  clear(container).append(wrap);
}

/** What a hover shows: a chart is told by what it carries (points, cells or bars). */
function tooltipText(chart, x, y, days = false) {
  if (chart.hover) {
    const marker = nearestPoint(chart.hover.markers ?? [], x, 5);
    if (marker) return marker.label;
    // Small multiples: only the panel under the pointer.
    const panel = (chart.hover.panels ?? []).findIndex((r) => rectAt([r], x, y));
    const points = chart.hover.panels?.length ? chart.hover.points.filter((p) => p.series === panel) : chart.hover.points;
    const p = nearestPoint(points, x);
    const when = days ? p?.local.replace(/^(\S+ \d{4}-\d{2}-\d{2}).*$/, "$1") : p?.local;
    return p ? `${chart.hover.seriesNames[p.series]}: ${metricText(p.value)} · ${when}` : "";
  }
  if (chart.cells) {
    const c = rectAt(chart.cells, x, y);
    // The heatmap is the building's week (its axis names the zone), on the chosen clock.
    return c ? `${weekdayName(c.weekday)} ${hourText(c.hour, state.times?.clock)} · ${c.value == null ? "no data" : metricText(c.value)}` : "";
  }
  if (chart.bands) {
    const band = rectAt(chart.bands, x, y);
    return band ? bandText(band.band) : "";
  }
  const b = rectAt(chart.bars, x, y);
  return b ? `${b.name}: ${b.value == null ? "–" : metricText(b.value)}` : "";
}

/**
 * Fills a figures list with [label, text, definition id, testid?] entries. Each label with a
 * definition (ui/definitions.js, the README's sentence) shows it on hover (title) and, being
 * focusable, to the keyboard and screen readers (aria-describedby to a hidden sentence kept
 * next to the list, outside it: a list holds only its terms and values).
 */
function fillFigures(figures, entries) {
  let defs = figures.nextElementSibling;
  if (!defs?.classList.contains("figure-definitions")) {
    defs = h("div", { class: "figure-definitions", hidden: true });
    figures.after(defs);
  }
  clear(defs);
  clear(figures).append(...entries.map(([label, text, defId, testid]) => {
    const sentence = definition(defId);
    const descId = `figure-definition-${defId}`;
    if (sentence) defs.append(h("span", { id: descId, dataset: { testid: descId } }, sentence));
    return h("div", { class: "figure" },
      h("dt", sentence ? { tabindex: "0", title: sentence, "aria-describedby": descId, dataset: { definition: defId } } : {}, label),
      h("dd", testid ? { dataset: { testid } } : {}, text));
  }));
}

/** Saves the loaded view's connection, building and controls: the next start reopens it. */
function rememberView() {
  if (!state.view || !state.buildingId) return;
  call(Command.remember_view, { connectionId: state.connectionId, buildingId: state.buildingId, controls: controlsToRemember(state) })
    .catch(showError);
}
