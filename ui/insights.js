// Insights: the analyst's home. Until a connection exists it welcomes the user.

import { h, clear } from "./dom.js";

export function renderInsights(root, { connections, go, tryDemo }) {
  const body = connections.length
    ? h("div", { class: "welcome", dataset: { testid: "insights-empty" } },
        h("h2", {}, "Occupancy charts are coming"),
        h("p", {}, "The next version charts building, floor and zone occupancy for any date range. Your connections are ready: test them under Credentials."),
        h("div", { class: "form-actions start" },
          h("button", { dataset: { testid: "go-credentials" }, onclick: () => go("credentials") }, "Open Credentials"),
        ),
      )
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
