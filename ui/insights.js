// Insights: the analyst's home. Until a connection exists it welcomes the user.

import { h, clear } from "./dom.js";

export function renderInsights(root, { connections, go, tryDemo }) {
  const body = connections.length
    ? h("p", { class: "empty", dataset: { testid: "insights-empty" } },
        "Pick a connection, a building and a date range to load occupancy.")
    : h("div", { class: "welcome", dataset: { testid: "welcome" } },
        h("h2", {}, "Welcome to Occupancy Desk"),
        h("p", {}, "See how your buildings are used, hour by hour. Connect your InnerSpace or SpatiaFi account to begin."),
        h("p", { class: "note" }, "No account yet? Demo data shows five simulated buildings on three continents; nothing is written to your keyring."),
        h("div", { class: "form-actions start" },
          h("button", { class: "primary", dataset: { testid: "try-demo" }, onclick: tryDemo }, "Try with demo data"),
          h("button", { dataset: { testid: "welcome-add" }, onclick: () => go("credentials") }, "Add a connection"),
        ),
      );
  clear(root).append(h("header", { class: "view-header" }, h("h1", {}, "Insights")), body);
}
