// Settings: demo data, and where things are kept (read-only facts from Rust's app_info).

import { h, clear } from "./dom.js";

export function renderSettings(root, { info, setDemo }) {
  clear(root).append(
    h("header", { class: "view-header" }, h("h1", {}, "Settings")),
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
    ),
  );
}
