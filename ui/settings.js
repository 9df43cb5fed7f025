// Settings: appearance (theme, time display), demo data, the local cache of fetched days, where things are kept
// (facts from Rust's app_info and cache_info), and keyring entries that no connection uses.

import { call } from "./api.js";
import { CACHE_LIMIT_MB, Command, THEMES, TIME_DISPLAY, Theme, TimeDisplay, UTILIZATION_BASES, UtilizationBasis } from "./contract.js";
import { clearError, showError } from "./banner.js";
import { bytesText, holdsText, parseLimit } from "./cache.js";
import { h, clear } from "./dom.js";
import { isInnerspace } from "./insights.js";
import { targetBandSection } from "./portfolio.js";

export function renderSettings(root, { info, connections = [], setDemo, setTheme, openInsightsAfresh }) {
  const orphans = h("p", { class: "note", dataset: { testid: "orphaned-secrets" } }, "Checking the keyring…");
  clear(root).append(
    h("header", { class: "view-header" }, h("h1", {}, "Settings")),
    h("section", { class: "panel" },
      h("h2", {}, "Appearance"),
      h("label", { class: "picker" },
        h("span", { class: "picker-label" }, "Theme"),
        themeSelect(info?.theme ?? Theme.system, setTheme),
      ),
      h("p", { class: "note" }, "Charts are drawn in the same theme."),
      timeDisplay(info),
    ),
    utilizationSection(info),
    targetBandSection(),
    opensOnSection(info, connections, openInsightsAfresh),
    h("section", { class: "panel" },
      h("h2", {}, "Demo data"),
      h("label", { class: "check" },
        h("input", {
          type: "checkbox", dataset: { testid: "demo-toggle" }, checked: !!info?.demoData,
          onchange: (e) => setDemo(e.target.checked),
        }),
        " Show demo connections backed by the built-in simulator",
      ),
      h("p", { class: "note" }, "Demo secrets stay in memory; your keyring is never touched."),
    ),
    cacheSection(),
    h("section", { class: "panel" },
      h("h2", {}, "Where your data is kept"),
      info
        ? h("dl", { class: "facts wide" },
            h("dt", {}, "Settings file"), h("dd", { dataset: { testid: "settings-path" } }, info.settingsFile),
            h("dt", {}, "Secrets"), h("dd", { dataset: { testid: "secrets-location" } }, info.secrets),
            h("dt", {}, "Cache of fetched days"), h("dd", {}, info.cacheFile),
            h("dt", {}, "Version"), h("dd", {}, info.version),
          )
        : h("p", { class: "empty" }, "Not available."),
      h("p", { class: "note" }, "Client secrets and passwords are kept only in the system keyring; the settings file holds names, addresses and client ids."),
      orphans,
    ),
  );
  loadOrphans(orphans);
}

/** Fills the line with the count of unused keyring entries and a Remove button. */
async function loadOrphans(line) {
  let found;
  try {
    found = await call(Command.orphaned_secrets);
  } catch (e) {
    clear(line).append(`Unused keyring entries could not be checked: ${e.message}`);
    return;
  }
  if (found.count === 0) {
    clear(line).append("Every keyring entry of Occupancy Desk belongs to a connection.");
    return;
  }
  const entries = `${found.count} keyring ${found.count === 1 ? "entry" : "entries"}`;
  clear(line).append(
    `${entries} of Occupancy Desk belong to no connection (left by an interrupted save). `,
    h("button", {
      class: "danger", dataset: { testid: "remove-orphaned-secrets" },
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await call(Command.remove_orphaned_secrets);
          await loadOrphans(line);
        } catch (err) {
          clear(line).append(`Could not remove them: ${err.message}`);
        }
      },
    }, "Remove"),
  );
}

/**
 * "Time display": the zone (the building's, or this computer's) and the clock (24- or
 * 12-hour) for the times in Insights: table, figures, chart axes and tooltips. Saved at once;
 * the Insights view draws with it when shown again (Rust redraws the charts).
 */
function timeDisplay(info) {
  let times = info?.times ?? { display: TIME_DISPLAY.defaultDisplay, clock: TIME_DISPLAY.defaultClock, computerZone: "UTC" };
  const status = h("span", { class: "note", role: "status", dataset: { testid: "time-display-status" } });
  const zoneText = (t) => (t.computerZoneKnown === false ? "could not be found; UTC is used" : t.computerZone);
  // This computer's option names the zone it is now.
  const options = TIME_DISPLAY.displays.map(({ value, label }) => h("option", { value }, label));
  const mine = options.find((o) => o.value === TimeDisplay.thisComputer);
  const mineLabel = (t) => `${TIME_DISPLAY.displays.find((d) => d.value === TimeDisplay.thisComputer).label} (${zoneText(t)})`;
  mine.textContent = mineLabel(times);
  const zone = h("select", { dataset: { testid: "time-zone-select" }, "aria-label": "Time zone" }, options);
  const clock = h("select", { dataset: { testid: "clock-select" }, "aria-label": "Clock" },
    TIME_DISPLAY.clocks.map(({ value, label }) => h("option", { value }, label)));
  zone.value = times.display;
  clock.value = times.clock;
  const save = async () => {
    zone.disabled = clock.disabled = true;
    status.textContent = "Saving…";
    try {
      const saved = await call(Command.set_time_display, { display: zone.value, clock: clock.value });
      times = saved;
      if (info) info.times = saved;
      mine.textContent = mineLabel(saved);
      status.textContent = "Saved.";
      clearError();
    } catch (e) {
      zone.value = times.display;
      clock.value = times.clock;
      status.textContent = "";
      showError(e);
    } finally {
      zone.disabled = clock.disabled = false;
    }
  };
  zone.addEventListener("change", save);
  clock.addEventListener("change", save);
  return h("div", { dataset: { testid: "time-display" } },
    h("div", { class: "form-actions start" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Time display"), zone),
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Clock"), clock),
      status,
    ),
    h("p", { class: "note" }, TIME_DISPLAY.rule),
  );
}

/**
 * "Insights opens on": the connection last loaded (the default) or one of the user's own
 * InnerSpace connections (demo ones come and go with demo data). Saved at once.
 */
function opensOnSection(info, connections, openInsightsAfresh) {
  const own = connections.filter((c) => isInnerspace(c) && !c.demo);
  const lastLoaded = own.find((c) => c.id === info?.defaultConnection && !info?.insightsConnection);
  const status = h("span", { class: "note", role: "status", dataset: { testid: "opens-on-status" } });
  const select = h("select", { dataset: { testid: "opens-on-select" }, "aria-label": "Insights opens on" },
    h("option", { value: "" }, lastLoaded ? `The connection last loaded (now ${lastLoaded.name})` : "The connection last loaded"),
    own.map((c) => h("option", { value: c.id }, c.name)));
  select.value = info?.insightsConnection ?? "";
  select.addEventListener("change", async () => {
    status.textContent = "Saving…";
    try {
      await call(Command.set_insights_connection, { connectionId: select.value || null });
      if (info) info.insightsConnection = select.value || null;
      openInsightsAfresh?.();
      status.textContent = "Saved.";
      clearError();
    } catch (e) {
      select.value = info?.insightsConnection ?? "";
      status.textContent = "";
      showError(e);
    }
  });
  return h("section", { class: "panel", dataset: { testid: "opens-on" } },
    h("h2", {}, "Insights"),
    h("div", { class: "form-actions start" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Insights opens on"), select),
      status,
    ),
    h("p", { class: "note" }, own.length
      ? "On its building last loaded, or else on its first building."
      : "Add an InnerSpace connection under Credentials to choose one here."),
  );
}

/** "Figures": which utilization the summary headlines; saved at once. */
function utilizationSection(info) {
  const status = h("span", { class: "note", dataset: { testid: "utilization-basis-status" }, role: "status" });
  const select = h("select", { class: "wide", dataset: { testid: "utilization-basis" } },
    UTILIZATION_BASES.map(({ value, label }) => h("option", { value }, label)));
  select.value = info?.utilizationBasis ?? UtilizationBasis.officeHours;
  select.addEventListener("change", async () => {
    try {
      await call(Command.set_utilization_basis, { basis: select.value });
      if (info) info.utilizationBasis = select.value;
      status.textContent = "Saved.";
      clearError();
    } catch (e) {
      select.value = info?.utilizationBasis ?? UtilizationBasis.officeHours;
      status.textContent = "";
      showError(e);
    }
  });
  return h("section", { class: "panel", dataset: { testid: "figures-settings" } },
    h("h2", {}, "Figures"),
    h("div", { class: "form-actions start" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Utilization over"), select),
      status,
    ),
    h("p", { class: "note" }, "The summary's utilization is the mean occupancy over these hours as a percentage of capacity; its label names the basis. Daily and longer periods cannot tell office hours and use all hours."),
  );
}

function themeSelect(current, setTheme) {
  const select = h("select", { dataset: { testid: "theme-select" }, onchange: (e) => setTheme(e.target.value) },
    THEMES.map(({ value, label }) => h("option", { value }, label)));
  select.value = current;
  return select;
}

/** "Local cache": its place and size, a size limit and Clear cache. Filled once Rust answers. */
function cacheSection() {
  const facts = h("dl", { class: "facts wide", dataset: { testid: "cache-facts" } });
  const limit = h("input", {
    type: "number", min: CACHE_LIMIT_MB.min, max: CACHE_LIMIT_MB.max, step: "10", class: "limit",
    dataset: { testid: "cache-limit" }, "aria-label": "Cache size limit in MB",
  });
  const status = h("span", { class: "note", dataset: { testid: "cache-status" }, role: "status" });
  const show = (c) => {
    clear(facts).append(
      h("dt", {}, "File"), h("dd", { dataset: { testid: "cache-path" } }, c.path),
      h("dt", {}, "Size"), h("dd", { dataset: { testid: "cache-size" } }, bytesText(c.bytes)),
      h("dt", {}, "Holds"), h("dd", { dataset: { testid: "cache-days" } }, holdsText(c.days, c.views)),
    );
    limit.value = String(c.limitMb);
  };
  const run = async (command, args, done) => {
    try {
      show(await call(command, args));
      status.textContent = done ?? "";
      clearError();
    } catch (e) {
      showError(e);
    }
  };
  const saveLimit = () => {
    const parsed = parseLimit(limit.value);
    if (parsed.error) {
      status.textContent = parsed.error;
      return;
    }
    run(Command.set_cache_limit, { limitMb: parsed.mb }, `Limit set to ${parsed.mb} MB.`);
  };
  run(Command.cache_info, {});
  return h("section", { class: "panel", dataset: { testid: "cache-section" } },
    h("h2", {}, "Local cache"),
    h("p", { class: "note" },
      "Days you have loaded are kept on this computer, so a repeat view asks the service only for new days and you can browse them offline. The last two days are fetched again each time, until the service has finished publishing them. No secret, token or session is kept here."),
    facts,
    h("div", { class: "form-actions start" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Size limit (MB)"), limit),
      h("button", { dataset: { testid: "cache-limit-save" }, onclick: saveLimit }, "Save limit"),
      h("button", { dataset: { testid: "clear-cache" }, onclick: () => run(Command.clear_cache, {}, "Cache cleared.") }, "Clear cache"),
      status,
    ),
    h("p", { class: "note" }, "When the cache grows past the limit, the days used longest ago are removed first."),
  );
}
