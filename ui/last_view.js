// The morning start: the Insights view's controls saved at each load (and tab change) and
// applied again on the next start (pure functions: `node --test`).

import { GRANULARITIES, TABS } from "./contract.js";
import { PRESETS, presetRange } from "./ranges.js";

/** What `remember_view` saves besides the connection and building (Rust's `ViewControls`). */
export function controlsToRemember(state) {
  const custom = state.preset === "custom";
  return {
    siteId: state.siteId ?? null, zoneId: state.zoneId ?? null, groupId: state.groupId ?? null,
    granularity: state.granularity, metric: state.metric || null, preset: custom ? null : state.preset,
    from: custom ? state.from : null, to: custom ? state.to : null, tab: state.tab,
  };
}

/**
 * The controls of a remembered view that this window still offers (anything else keeps its
 * default): a preset counts again from `today`, a range typed by hand stays as it was. The
 * floor, zone and group wait in `pendingArea` until the building's detail says they exist.
 */
export function restoredControls(saved, today) {
  const out = { pendingArea: { siteId: saved.siteId ?? null, zoneId: saved.zoneId ?? null, groupId: saved.groupId ?? null } };
  if (GRANULARITIES.some((g) => g.value === saved.granularity)) out.granularity = saved.granularity;
  if (saved.metric) out.metric = saved.metric;
  if (TABS.some((t) => t.id === saved.tab)) out.tab = saved.tab;
  if (PRESETS.some((p) => p.id === saved.preset && p.id !== "custom")) {
    Object.assign(out, { preset: saved.preset }, presetRange(saved.preset, today));
  } else if (saved.from && saved.to) {
    Object.assign(out, { preset: "custom", from: saved.from, to: saved.to });
  }
  return out;
}

/** The part of a remembered area the building still has: a floor or zone that is gone is dropped. */
export function areaOf(detail, { siteId = null, zoneId = null, groupId = null } = {}) {
  const site = (detail?.sites ?? []).some((x) => x.id === siteId) ? siteId : null;
  const zone = (detail?.zones ?? []).some((z) => z.id === zoneId && (!site || z.siteId === site)) ? zoneId : null;
  return { siteId: site, zoneId: zone, groupId };
}
