// Boot and navigation between Insights, Credentials and Settings.

import { call } from "./api.js";
import { duration } from "./health.js";
import { initBanner, showError, clearError } from "./banner.js";
import { initConnections, renderConnections, showTested } from "./connections.js";
import { renderInsights } from "./insights.js";
import { renderSettings } from "./settings.js";

const views = ["insights", "credentials", "settings"];
let current = "insights";
let connections = [];
let info = null;

async function setDemo(enabled) {
  try {
    await call("set_demo_data", { enabled });
    clearError();
  } catch (e) {
    showError(e);
  }
  await refresh();
  await show(enabled ? "credentials" : current);
}

async function refresh() {
  try {
    info = await call("app_info");
  } catch (e) {
    showError(e);
  }
  connections = await renderConnections(document.createElement("div"));
}

async function show(view) {
  current = view;
  for (const name of views) {
    document.getElementById(`view-${name}`).hidden = name !== view;
    document.querySelector(`.nav[data-view=${name}]`).setAttribute("aria-current", name === view ? "page" : "false");
  }
  const root = document.getElementById(`view-${view}`);
  if (view === "credentials") connections = await renderConnections(root);
  if (view === "insights") renderInsights(root, { connections, go: show, tryDemo: () => setDemo(true) });
  if (view === "settings") await renderSettings(root, { setDemo });
  updateStatus();
}

function updateStatus() {
  const status = document.querySelector("[data-testid=status-line]");
  const count = connections.length
    ? `${connections.length} connection${connections.length === 1 ? "" : "s"}`
    : "No connections";
  const parts = [count];
  if (info?.demoData) parts.push("demo data");
  const now = Date.now() / 1000;
  const live = connections.find((c) => c.health?.state === "ok" && c.health.expiresAt > now);
  if (live) parts.push(`token ${duration(live.health.expiresAt - now)}`);
  status.textContent = parts.join(" · ");
}

async function boot() {
  initBanner();
  initConnections({
    changed: async (tested) => {
      await show(current);
      if (tested) showTested(tested);
    },
  });
  for (const button of document.querySelectorAll(".nav")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  // Learn the connections once so the first view knows whether to welcome the user.
  await refresh();
  await show("insights");
  if (info?.startupError) showError(info.startupError);
  document.body.dataset.ready = "true";
}

boot();
