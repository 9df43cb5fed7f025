// Settings: demo data, where things are kept (read-only facts from Rust's app_info), and
// keyring entries that no connection uses.

import { call } from "./api.js";
import { h, clear } from "./dom.js";

export function renderSettings(root, { info, setDemo, setTheme }) {
  const orphans = h("p", { class: "note", dataset: { testid: "orphaned-secrets" } }, "Checking the keyring…");
  clear(root).append(
    h("header", { class: "view-header" }, h("h1", {}, "Settings")),
    h("section", { class: "panel" },
      h("h2", {}, "Appearance"),
      h("label", { class: "picker" },
        h("span", { class: "picker-label" }, "Theme"),
        themeSelect(info?.theme ?? "system", setTheme),
      ),
      h("p", { class: "note" }, "Charts are drawn in the same theme."),
    ),
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
    h("section", { class: "panel" },
      h("h2", {}, "Where your data is kept"),
      info
        ? h("dl", { class: "facts wide" },
            h("dt", {}, "Settings file"), h("dd", { dataset: { testid: "settings-path" } }, info.settingsFile),
            h("dt", {}, "Secrets"), h("dd", { dataset: { testid: "secrets-location" } }, info.secrets),
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
    found = await call("orphaned_secrets");
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
          await call("remove_orphaned_secrets");
          await loadOrphans(line);
        } catch (err) {
          clear(line).append(`Could not remove them: ${err.message}`);
        }
      },
    }, "Remove"),
  );
}

function themeSelect(current, setTheme) {
  const select = h("select", { dataset: { testid: "theme-select" }, onchange: (e) => setTheme(e.target.value) },
    [["system", "Same as the system"], ["light", "Light"], ["dark", "Dark"]].map(([value, label]) => h("option", { value }, label)));
  select.value = current;
  return select;
}
