// Errors appear in one place: the banner above the content.

const banner = () => document.querySelector("[data-testid=error-banner]");

export function showError(error) {
  const el = banner();
  el.querySelector(".banner-message").textContent = error?.message ?? String(error);
  el.dataset.code = error?.code ?? "";
  el.hidden = false;
}

export function clearError() {
  const el = banner();
  el.hidden = true;
  el.dataset.code = "";
}

export function initBanner() {
  banner().querySelector(".banner-close").addEventListener("click", clearError);
}
