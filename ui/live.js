// Live: every zone of a building now (zone_occupancy), against its capacity, by floor, fullest
// first. Refreshes every minute while the view is visible; stops when the window is hidden or
// the user leaves the view; backs off after failures and shows what it has as stale.

import { call } from "./api.js";
import { Command, ErrorCode, Liveness } from "./contract.js";
import { showError } from "./banner.js";
import { h, clear } from "./dom.js";
import { isInnerspace } from "./insights.js";
import { asOfText, floorText, isStale, retrySecs, waitText, zoneText } from "./live_words.js";

export const NOT_AVAILABLE = "Live data is not available on this connection.";

const state = {
  root: null,
  connectionId: null,
  buildingId: null,
  buildings: [],
  board: null,
  error: null,
  failures: 0,
  refreshSecs: 60,
  timer: null,
  // Bumped whenever what is asked for changes or polling stops, so late answers are dropped.
  ticket: 0,
  // The view is on screen (the user has not gone to another view).
  shown: false,
};

const now = () => Date.now() / 1000;
const visible = () => document.visibilityState === "visible";

/** The window was hidden or shown again: stop, or refresh at once (what is on screen is old). */
export function initLive() {
  document.addEventListener("visibilitychange", () => {
    if (!visible()) stopTimer();
    else if (state.shown && state.buildingId) refresh();
  });
}

/** The user went to another view: no more requests until they come back. */
export function leaveLive() {
  state.shown = false;
  stopTimer();
}

function stopTimer() {
  clearTimeout(state.timer);
  state.timer = null;
  state.ticket++;
}

export async function renderLive(root, { connections, info }) {
  state.root = root;
  state.shown = true;
  const usable = connections.filter(isInnerspace);
  if (!usable.some((c) => c.id === state.connectionId)) {
    state.connectionId = usable.find((c) => c.id === info?.defaultConnection)?.id ?? usable[0]?.id ?? null;
    state.buildingId = null;
    state.board = null;
  }
  draw(usable);
  if (!state.connectionId) return;
  if (!state.buildings.length || state.buildingsOf !== state.connectionId) await loadBuildings(usable, info);
  if (state.buildingId) refresh();
}

async function loadBuildings(usable, info) {
  const connectionId = state.connectionId;
  try {
    const buildings = await call(Command.buildings, { connectionId });
    if (connectionId !== state.connectionId) return;
    Object.assign(state, { buildings, buildingsOf: connectionId });
    const preferred = info?.defaultConnection === connectionId ? info?.defaultBuilding : null;
    state.buildingId ??= buildings.find((b) => b.id === preferred)?.id ?? buildings[0]?.id ?? null;
  } catch (e) {
    state.error = e;
  }
  draw(usable);
}

/** Asks for the board now; then again in a minute, or later after failures. */
async function refresh() {
  stopTimer();
  if (!state.shown || !visible() || !state.buildingId) return;
  const ticket = state.ticket;
  const asked = { connectionId: state.connectionId, buildingId: state.buildingId };
  try {
    const board = await call(Command.live, asked);
    if (ticket !== state.ticket) return;
    Object.assign(state, { board, error: null, failures: 0, refreshSecs: board.refreshSecs });
    document.body.dataset.liveRefreshed = String(Number(document.body.dataset.liveRefreshed ?? 0) + 1);
    drawBoard();
    // A tenant without the table will not have it a minute later.
    if (board.liveness !== Liveness.notAvailable) schedule(state.refreshSecs);
  } catch (e) {
    if (ticket !== state.ticket) return;
    state.error = e;
    state.failures++;
    drawBoard();
    // Nothing renews a personal token: ask for a new one (the banner opens its edit form),
    // and ask the service nothing until then.
    if (e.code === ErrorCode.tokenExpired) {
      showError(e);
      return;
    }
    schedule(retrySecs(state.refreshSecs, state.failures));
  }
}

function schedule(secs) {
  clearTimeout(state.timer);
  state.timer = setTimeout(refresh, secs * 1000);
}

function draw(usable) {
  const root = state.root;
  if (!root) return;
  const pick = (testid, label, options, value, onchange) => {
    const el = h("select", { dataset: { testid }, "aria-label": label, onchange: (e) => onchange(e.target.value) },
      options.map(([v, text]) => h("option", { value: v }, text)));
    el.value = value ?? "";
    return h("label", { class: "picker" }, h("span", { class: "picker-label" }, label), el);
  };
  clear(root).append(
    h("header", { class: "view-header" }, h("h1", {}, "Live")),
    usable.length
      ? h("section", { class: "toolbar panel" },
          h("div", { class: "toolbar-row" },
            pick("live-connection", "Connection", usable.map((c) => [c.id, c.name]), state.connectionId, (id) => {
              Object.assign(state, { connectionId: id, buildingId: null, buildings: [], board: null, error: null });
              stopTimer();
              renderLive(root, { connections: usable, info: null });
            }),
            pick("live-building", "Building",
              [["", state.buildings.length ? "Choose a building" : "Loading…"], ...state.buildings.map((b) => [String(b.id), b.name])],
              state.buildingId ? String(state.buildingId) : "",
              (id) => {
                Object.assign(state, { buildingId: id ? Number(id) : null, board: null, error: null, failures: 0 });
                drawBoard();
                refresh();
              }),
          ))
      : h("p", { class: "empty" }, "Add an InnerSpace connection in Credentials to see occupancy now."),
    h("div", { class: "live-body", dataset: { testid: "live-body" } }),
  );
  drawBoard();
}

function drawBoard() {
  const body = state.root?.querySelector("[data-testid=live-body]");
  if (!body) return;
  const { board, error } = state;
  clear(body);
  if (board?.liveness === Liveness.notAvailable) {
    body.append(h("p", { class: "notice", dataset: { testid: "live-unavailable" } }, NOT_AVAILABLE,
      " Its InnerSpace tenant has no zone_occupancy table; the other views work as before."));
    return;
  }
  if (!board) {
    if (error) body.append(problem(error));
    else if (state.buildingId) body.append(h("p", { class: "note" }, "Loading occupancy now…"));
    return;
  }
  const stale = isStale(board, !!error, now());
  body.append(
    h("p", { class: stale ? "live-asof stale" : "live-asof", dataset: { testid: "live-asof", stale: String(stale) } },
      asOfText(board, now()),
      board.timesLabel ? h("span", { class: "tz" }, ` · ${board.timesLabel}`) : null),
    ...(error ? [problem(error)] : []),
    h("div", { class: stale ? "live-floors stale" : "live-floors" }, board.floors.map(floorPanel)),
  );
}

/** Why the board is not fresh, and when it tries again. */
function problem(error) {
  const again = error.code === ErrorCode.tokenExpired
    ? ""
    : ` Trying again in ${waitText(retrySecs(state.refreshSecs, state.failures))}.`;
  const shown = state.board?.asOfText ? ` The figures below are from ${state.board.asOfText} and may no longer be so.` : "";
  return h("p", { class: "notice bad", dataset: { testid: "live-problem" }, role: "status" },
    `Could not refresh: ${error.message}${again}${shown}`);
}

function floorPanel(floor) {
  return h("section", { class: "panel live-floor", dataset: { testid: "live-floor", name: floor.name } },
    h("div", { class: "panel-header" }, h("h2", {}, floor.name), h("span", { class: "note" }, floorText(floor))),
    h("ul", { class: "live-zones" }, floor.zones.map((z) =>
      h("li", { class: "live-zone", dataset: { testid: "live-zone", zone: String(z.id) } },
        h("span", { class: "live-zone-name" }, z.name),
        z.capacity != null && z.people != null
          ? h("meter", { min: 0, max: z.capacity, high: z.capacity * 0.8, optimum: 0, value: Math.min(z.people, z.capacity), "aria-label": `${z.name} fullness` })
          : h("span", {}),
        h("span", { class: "live-zone-value", dataset: { testid: "live-zone-value" } }, zoneText(z)),
        h("span", { class: "note" }, z.behind ? `read at ${z.atText}, behind the others` : ""),
      ))),
  );
}
