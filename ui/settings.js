// Settings: demo data, the local cache of fetched days, and where things are kept (facts
// from Rust's app_info and cache_info).

import { call } from "./api.js";
import { clearError, showError } from "./banner.js";
import { bytesText, holdsText, parseLimit } from "./cache.js";
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
    ),
  );
}

/** "Local cache": its place and size, a size limit and Clear cache. Filled once Rust answers. */
function cacheSection() {
  const facts = h("dl", { class: "facts wide", dataset: { testid: "cache-facts" } });
  const limit = h("input", {
    type: "number", min: "10", max: "100000", step: "10", class: "limit",
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
    run("set_cache_limit", { limitMb: parsed.mb }, `Limit set to ${parsed.mb} MB.`);
  };
  run("cache_info", {});
  return h("section", { class: "panel", dataset: { testid: "cache-section" } },
    h("h2", {}, "Local cache"),
    h("p", { class: "note" },
      "Days you have loaded are kept on this computer, so a repeat view asks the service only for new days and you can browse them offline. The last two days are fetched again each time, until the service has finished publishing them. No secret, token or session is kept here."),
    facts,
    h("div", { class: "form-actions start" },
      h("label", { class: "picker" }, h("span", { class: "picker-label" }, "Size limit (MB)"), limit),
      h("button", { dataset: { testid: "cache-limit-save" }, onclick: saveLimit }, "Save limit"),
      h("button", { dataset: { testid: "clear-cache" }, onclick: () => run("clear_cache", {}, "Cache cleared.") }, "Clear cache"),
      status,
    ),
    h("p", { class: "note" }, "When the cache grows past the limit, the days used longest ago are removed first."),
  );
}
