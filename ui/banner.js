// Errors appear in one place: the banner above the content, with at most one action button
// (for example "Restore last good copy" when the settings file is damaged).

const banner = () => document.querySelector("[data-testid=error-banner]");
let action = null;

/**
 * Shows `error`. `offer` ({label, run}) adds a button that runs it; the banner closes when
 * `run` succeeds and shows its error when it fails.
 */
export function showError(error, offer = null) {
  const el = banner();
  el.querySelector(".banner-message").textContent = error?.message ?? String(error);
  el.dataset.code = error?.code ?? "";
  const button = el.querySelector(".banner-action");
  action = offer;
  button.hidden = !offer;
  button.disabled = false;
  button.textContent = offer?.label ?? "";
  el.hidden = false;
}

export function clearError() {
  const el = banner();
  el.hidden = true;
  el.dataset.code = "";
  action = null;
  el.querySelector(".banner-action").hidden = true;
}

export function initBanner() {
  const el = banner();
  el.querySelector(".banner-close").addEventListener("click", clearError);
  const button = el.querySelector(".banner-action");
  button.addEventListener("click", async () => {
    if (!action) return;
    const { run } = action;
    button.disabled = true;
    try {
      await run();
      clearError();
    } catch (e) {
      showError(e);
    }
  });
}
