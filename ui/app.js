// Boot and navigation between Insights, Credentials and Settings.

import { WindowCode, call } from "./api.js";
import { Command, ErrorCode, Theme } from "./contract.js";
import { sessionText } from "./health.js";
import { endsUnrenewed } from "./catalog.js";
import { initBanner, offerFor, showError, clearError } from "./banner.js";
import { initConnections, loadConnections, openEditForm, renderConnections, showTested } from "./connections.js";
import { initLive, leaveLive, renderLive } from "./live.js";
import { openDemoInsights, openInsightsAfresh, renderInsights } from "./insights.js";
import { initAppCredentials, renderAppCredentials } from "./app_credentials.js";
import { renderPortfolio } from "./portfolio.js";
import { renderSettings } from "./settings.js";

const views = ["insights", "portfolio", "live", "credentials", "settings"];
let current = "insights";
let connections = [];
let info = null;

/** Demo data on or off; then Credentials, where the demo connections appear, or the view
 * `landOn` names. */
async function setDemo(enabled, landOn = null) {
  try {
    await call(Command.set_demo_data, { enabled });
  } catch (e) {
    // Nothing changed: stay, and say why in this view.
    await show(current);
    showError(e);
    return;
  }
  clearError();
  await show(landOn ?? (enabled ? "credentials" : current));
}

/** The welcome card's "Try with demo data": straight to a building's occupancy. */
async function tryDemo() {
  openDemoInsights();
  await setDemo(true, "insights");
}

async function loadInfo() {
  try {
    return await call(Command.app_info);
  } catch (e) {
    showError(e);
    return null;
  }
}

/** The system's theme follows the system's light or dark; light and dark override it. */
function applyTheme(theme) {
  if (theme === Theme.light || theme === Theme.dark) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

async function setTheme(theme) {
  try {
    await call(Command.set_theme, { theme });
    applyTheme(theme);
    clearError();
  } catch (e) {
    showError(e);
  }
}

/** Shows a view with fresh facts from Rust: every view and the status line use both. */
async function show(view) {
  // Leaving Live stops its polling before anything is awaited.
  if (view !== "live") leaveLive();
  // A banner belongs to the view that raised it: leaving the view takes it away.
  if (view !== current) clearError();
  current = view;
  for (const name of views) {
    document.getElementById(`view-${name}`).hidden = name !== view;
    document.querySelector(`.nav[data-view=${name}]`).setAttribute("aria-current", name === view ? "page" : "false");
  }
  [connections, info] = await Promise.all([loadConnections(), loadInfo()]);
  applyTheme(info?.theme);
  const root = document.getElementById(`view-${view}`);
  if (view === "credentials") {
    renderConnections(root, connections, info?.times);
    await renderAppCredentials(root);
  }
  if (view === "insights") renderInsights(root, { connections, info, go: show, tryDemo });
  if (view === "live") renderLive(root, { connections, info });
  if (view === "portfolio") await renderPortfolio(root, { connections, info, go: show });
  if (view === "settings") renderSettings(root, { info, connections, setDemo, setTheme, openInsightsAfresh });
  // A damaged cache file was replaced: Rust hands the reason out once.
  if (info?.cacheNotice) showError({ code: WindowCode.cacheReplaced, message: info.cacheNotice });
  // Settings that could not be loaded concern every view: said again wherever the user goes.
  if (info?.startupError) showStartupError(info);
  updateStatus();
  // Tests wait for this: the view is drawn with fresh facts.
  document.body.dataset.shown = view;
}

function updateStatus() {
  const status = document.querySelector("[data-testid=status-line]");
  const count = connections.length
    ? `${connections.length} connection${connections.length === 1 ? "" : "s"}`
    : "No connections";
  const parts = [count];
  if (info?.demoData) parts.push("demo data");
  // The first connection signed in, in words ("signed in, renews automatically"), not a
  // token's minutes.
  const session = connections
    .map((c) => [c, sessionText(c.health, { personal: endsUnrenewed(c), times: info?.times })])
    .find(([, text]) => text);
  if (session) parts.push(`${session[0].name}: ${session[1]}`);
  status.textContent = parts.join(" · ");
}

/**
 * A settings file that could not be loaded. When it is damaged and a last good copy was kept,
 * the banner says what restoring would bring back and lose, and offers to do it.
 */
function showStartupError(info) {
  const offer = info.startupError.code === ErrorCode.settingsCorrupt ? info.settingsRestore : null;
  if (!offer) {
    showError(info.startupError);
    return;
  }
  showError(
    { ...info.startupError, message: `${info.startupError.message} ${offer.summary}` },
    {
      label: "Restore last good copy",
      run: async () => {
        await call(Command.restore_settings);
        await show(current);
      },
    },
  );
}

async function boot() {
  initBanner();
  initConnections({
    changed: async (tested) => {
      await show(current);
      if (tested) showTested(tested);
    },
  });
  initAppCredentials({ changed: () => show(current) });
  initLive();
  // A personal token that ran out: its edit form, to paste a new one.
  offerFor(ErrorCode.tokenExpired, (e) => e.connection
    ? { label: "Paste a new token", run: () => openEditForm(e.connection) }
    : null);
  for (const button of document.querySelectorAll(".nav")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  await show("insights");
  document.body.dataset.ready = "true";
}

boot();
