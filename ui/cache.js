// Pure helpers of the Settings page's "Local cache" section (tested with node --test).

import { CACHE_LIMIT_MB } from "./contract.js";

/** 1536 → "1.5 KB"; powers of 1024, as Linux file managers show sizes. */
export function bytesText(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1024) return `${n} bytes`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The size limit typed by the user, in whole MB within Rust's bounds, or an error message. */
export function parseLimit(text, { min, max } = CACHE_LIMIT_MB) {
  const trimmed = String(text ?? "").trim();
  if (!/^\d+$/.test(trimmed)) return { error: `Enter a whole number of MB between ${min} and ${max}.` };
  const mb = Number(trimmed);
  if (mb < min || mb > max) return { error: `Choose a limit between ${min} and ${max} MB.` };
  return { mb };
}

/** "336 days of 1 view" */
export function holdsText(days, views) {
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(Number(days) || 0, "day")} of ${plural(Number(views) || 0, "view")}`;
}
