// Zoom and pan on the time series. Rust draws; this module only decides which window of the
// loaded range to ask for: drag across the chart, or + / − / ← / → on the keyboard, Home (or
// "Reset zoom") for the whole range. The view holds the rows, so a zoom never fetches: Rust
// redraws the window at full resolution (daily figures only while the window is long).

import { SeriesPeriods } from "./contract.js";
import { h } from "./dom.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** A drag narrower than this (SVG pixels) is a click, not a zoom. */
const MIN_DRAG_PX = 6;

/** The zoom of the view on screen; a newly loaded view starts at its whole range. */
let current = null;

export function zoomFor(viewId) {
  if (current?.viewId !== viewId) {
    current = { viewId, window: null, raw: false, band: false, follow: false };
  }
  return current;
}

/** What the `chart` command's `window` argument says for this zoom. */
export function chartWindow(zoom) {
  return {
    windowUtcMs: zoom.window,
    periods: zoom.raw ? SeriesPeriods.raw : SeriesPeriods.auto,
    dailyRange: zoom.band,
  };
}

/**
 * The window after a key: "in" halves it and "out" doubles it around its middle, "left" and
 * "right" move it by a quarter, "home" is the whole range (null). Never outside `whole`,
 * never shorter than an hour.
 */
export function stepWindow(whole, window, action) {
  if (action === "home") return null;
  const [a, b] = window ?? whole;
  const span = b - a;
  const mid = a + span / 2;
  let next;
  if (action === "in") next = [mid - Math.max(span / 4, HOUR_MS / 2), mid + Math.max(span / 4, HOUR_MS / 2)];
  else if (action === "out") next = [mid - span, mid + span];
  else if (action === "left") next = [a - span / 4, b - span / 4];
  else if (action === "right") next = [a + span / 4, b + span / 4];
  else return window;
  return fit(whole, next);
}

/** `[a, b]` moved (keeping its width where it can) and cut to lie within `whole`; null when
 * that is the whole range (to the minute: halving and doubling may round). */
function fit([w0, w1], [a, b]) {
  const span = Math.min(b - a, w1 - w0);
  if (span >= w1 - w0 - 60_000) return null;
  if (a < w0) [a, b] = [w0, w0 + span];
  if (b > w1) [a, b] = [w1 - span, w1];
  return [Math.round(a), Math.round(b)];
}

/** The time at SVG x `px` on a chart whose hover map is `hover`, within its x range. */
export function timeAt(hover, px) {
  const [x0, x1] = hover.xRangeUtcMs;
  const f = Math.min(1, Math.max(0, (px - hover.plot.x) / hover.plot.width));
  return Math.round(x0 + f * (x1 - x0));
}

/** The window a drag from SVG x `from` to `to` selects, widened to whole hours (within the
 * chart's range), or null for a click. */
export function windowFromDrag(hover, from, to) {
  if (Math.abs(to - from) < MIN_DRAG_PX) return null;
  const [x0, x1] = hover.xRangeUtcMs;
  const a = Math.max(x0, Math.floor(timeAt(hover, Math.min(from, to)) / HOUR_MS) * HOUR_MS);
  const b = Math.min(x1, Math.ceil(timeAt(hover, Math.max(from, to)) / HOUR_MS) * HOUR_MS - 1);
  return b - a >= HOUR_MS - 1 ? [a, b] : [a, Math.min(x1, a + HOUR_MS - 1)];
}

/** A moment in words in `timeZone`: "Mon 2 Mar 2026 00:00". */
function when(ms, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year} ${parts.hour}:${parts.minute}`;
}

/** How long a window is, in words: "7 days", "36 hours". */
function length(ms) {
  if (ms >= 2 * DAY_MS) return `${Math.round(ms / DAY_MS)} days`;
  const hours = Math.round(ms / HOUR_MS);
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

/** A window in words: "Mon 2 Mar 2026 00:00 to Sun 8 Mar 2026 23:59 (7 days)". */
export function spanWords([a, b], timeZone) {
  return `${when(a, timeZone)} to ${when(b, timeZone)} (${length(b - a + 1)})`;
}

/** The visible range in words, e.g. "Showing Mon 2 Mar 2026 00:00 to Sun 8 Mar 2026 23:59 (7 days) of the loaded range". */
export function rangeWords(window, timeZone, zoomed) {
  const span = spanWords(window, timeZone);
  return zoomed ? `Showing ${span} of the loaded range` : `Showing the whole range: ${span}`;
}

const KEYS = { "+": "in", "=": "in", "-": "out", "−": "out", ArrowLeft: "left", ArrowRight: "right", Home: "home" };

/**
 * Makes the time series in `container` zoomable. `redraw()` draws it again for `zoom`;
 * `figures(window)` fills the summary for a window (null: the whole range).
 */
export function attachZoom(container, chart, zoom, { width, redraw, figures }) {
  const wrap = container.querySelector(".chart-wrap");
  const img = wrap?.querySelector("img");
  if (!wrap || !img || !chart.hover?.xRangeUtcMs) return;
  if (!zoom.window) zoom.whole = chart.hover.xRangeUtcMs;
  zoom.timeZone = chart.hover.timeZone;
  const whole = zoom.whole ?? chart.hover.xRangeUtcMs;
  const visible = zoom.window ?? whole;
  const go = async (window) => {
    zoom.window = window;
    zoom.refocus = container.contains(document.activeElement);
    await redraw();
    if (zoom.follow) figures(zoom.window);
  };

  const words = h("p", { class: "visible-range", id: "visible-range", role: "status", dataset: { testid: "visible-range" } },
    rangeWords(visible, chart.hover.timeZone, !!zoom.window));
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "group");
  wrap.setAttribute("aria-label", "Time series: zoomable");
  wrap.setAttribute("aria-describedby", "visible-range zoom-help");
  const help = h("p", { class: "note zoom-help", id: "zoom-help" },
    "Drag across the chart to zoom in; with the chart focused, + and − zoom, ← and → move, Home shows the whole range.");

  // Drag: a band follows the pointer; letting go zooms to it.
  const band = h("div", { class: "zoom-band", hidden: true });
  wrap.append(band);
  const svgX = (clientX) => {
    const box = img.getBoundingClientRect();
    return (clientX - box.left) * (width / box.width);
  };
  let start = null;
  wrap.addEventListener("mousedown", (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    start = e.clientX;
    wrap.focus();
  });
  wrap.addEventListener("mousemove", (e) => {
    if (start === null) return;
    const box = img.getBoundingClientRect();
    const [l, r] = [Math.min(start, e.clientX), Math.max(start, e.clientX)];
    Object.assign(band.style, { left: `${l - box.left}px`, width: `${r - l}px`, top: "0", height: `${box.height}px` });
    band.hidden = false;
  });
  const end = (e) => {
    if (start === null) return;
    const window = windowFromDrag(chart.hover, svgX(start), svgX(e.clientX));
    start = null;
    band.hidden = true;
    if (window) go(window);
  };
  wrap.addEventListener("mouseup", end);
  wrap.addEventListener("mouseleave", (e) => { if (start !== null) end(e); });
  wrap.addEventListener("keydown", (e) => {
    const action = KEYS[e.key];
    if (!action) return;
    e.preventDefault();
    const next = stepWindow(whole, zoom.window, action);
    if (JSON.stringify(next) !== JSON.stringify(zoom.window)) go(next);
  });

  const check = (testid, label, checked, onchange) => h("label", { class: "check" },
    h("input", { type: "checkbox", dataset: { testid }, checked, onchange: (e) => onchange(e.target.checked) }), ` ${label}`);
  const bar = h("div", { class: "zoom-bar", dataset: { testid: "zoom-bar" } },
    words,
    h("button", { dataset: { testid: "reset-zoom" }, disabled: !zoom.window, onclick: () => go(null) }, "Reset zoom"),
    check("raw-periods", "Every period (no daily figures)", zoom.raw, (on) => { zoom.raw = on; go(zoom.window); }),
    chart.hover.days
      ? check("daily-range", "Shade each day's range", zoom.band, (on) => { zoom.band = on; go(zoom.window); })
      : null,
    check("figures-follow-zoom", "Figures for the visible range", zoom.follow, (on) => {
      zoom.follow = on;
      figures(on ? zoom.window : null);
    }));
  container.prepend(bar);
  container.append(help);

  // Unusual days: a tick on the axis, explained here in words too.
  const markers = chart.hover.markers ?? [];
  if (markers.length) {
    container.append(h("div", { class: "chart-markers", dataset: { testid: "chart-markers" } },
      h("h2", {}, "Unusual days on this chart"),
      h("ul", {}, markers.map((m) => h("li", {}, m.label)))));
  }
  if (zoom.refocus) {
    zoom.refocus = false;
    wrap.focus();
  }
}
