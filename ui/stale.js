// Whether the result on screen still answers the controls (pure functions: `node --test`).
// A result is drawn for the controls as they were at Load; once any of them differs, the
// result is dimmed with "Filters changed – Load to update" until the next Load.

/** The controls a result depends on, with the words the notice uses for each. */
const CONTROLS = [
  ["connectionId", "connection"],
  ["buildingId", "building"],
  ["siteId", "floor"],
  ["zoneId", "zone"],
  ["groupId", "group"],
  ["granularity", "granularity"],
  ["from", "range"],
  ["to", "range"],
  ["metric", "metric"],
];

/** The controls' values as a load sends them (null and "" are the same: nothing chosen). */
export function controlsOf(state) {
  return Object.fromEntries(CONTROLS.map(([key]) => [key, state[key] ?? null]));
}

/** What differs between the controls at Load and now, in words ("range", "metric"); [] when nothing does. */
export function changedControls(loaded, now) {
  if (!loaded) return [];
  const same = (a, b) => (a ?? "") === (b ?? "") || String(a ?? "") === String(b ?? "");
  const changed = [];
  for (const [key, words] of CONTROLS) {
    if (!same(loaded[key], now[key]) && !changed.includes(words)) changed.push(words);
  }
  return changed;
}

/** The line over a dimmed result. */
export function staleText(changed) {
  return `Filters changed – Load to update (${changed.join(", ")} changed since this result was loaded).`;
}
