// Boot and navigation between Insights, Credentials and Settings.

import { initBanner } from "./banner.js";
import { initConnections, renderConnections } from "./connections.js";
import { renderInsights } from "./insights.js";
import { renderSettings } from "./settings.js";

const views = ["insights", "credentials", "settings"];
let current = "insights";
let connections = [];

async function show(view) {
  current = view;
  for (const name of views) {
    document.getElementById(`view-${name}`).hidden = name !== view;
    document.querySelector(`.nav[data-view=${name}]`).setAttribute("aria-current", name === view ? "page" : "false");
  }
  const root = document.getElementById(`view-${view}`);
  if (view === "credentials") connections = await renderConnections(root);
  if (view === "insights") renderInsights(root, { connections, go: show });
  if (view === "settings") await renderSettings(root);
  updateStatus();
}

function updateStatus() {
  const status = document.querySelector("[data-testid=status-line]");
  status.textContent = connections.length
    ? `${connections.length} connection${connections.length === 1 ? "" : "s"}`
    : "No connections";
}

async function boot() {
  initBanner();
  initConnections({ changed: () => show(current) });
  for (const button of document.querySelectorAll(".nav")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  // Learn the connections once so the first view knows whether to welcome the user.
  const hidden = document.createElement("div");
  connections = await renderConnections(hidden);
  await show("insights");
  document.body.dataset.ready = "true";
}

boot();
