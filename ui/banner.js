// Errors appear in one place: the banner above the content, with at most one action button
// (for example "Restore last good copy" when the settings file is damaged).

const banner = () => document.querySelector("[data-testid=error-banner]");
let action = null;
/** The offer errors of a code get when they come with none: code → (error) → offer or null. */
const offers = new Map();

/** Errors with `code` get the offer `make(error)` returns (e.g. a run-out token: its edit form). */
export function offerFor(code, make) {
  offers.set(code, make);
}

/**
 * Shows `error`. `offer` ({label, run}) adds a button that runs it; the banner closes when
 * `run` succeeds and shows its error when it fails.
 */
export function showError(error, offer = null) {
  offer ??= offers.get(error?.code)?.(error) ?? null;
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
