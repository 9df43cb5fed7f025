// Words and rules for the App Credentials panel (pure functions: tested with `node --test`).

import { duration } from "./health.js";

/** "14 min left" / "Sign-in expired" for a token status, `now` in unix seconds. */
export function timeLeft(token, now) {
  if (!token) return { text: "Signed out: sign in again", expired: true };
  const left = token.expiresAt - now;
  if (left <= 0) return { text: "Sign-in expired: sign in again", expired: true };
  return { text: `${duration(left)} left`, expired: false };
}

/** Badges for one credential row: {text, tone, testid}. */
export function badges(row) {
  const out = [];
  if (row.unsaved) out.push({ text: "Secret NOT saved on this computer", tone: "warn", testid: "badge-unsaved" });
  else if (row.secretHere === true) out.push({ text: "Secret on this computer", tone: "ok", testid: "badge-secret-here" });
  else if (row.secretHere === false) out.push({ text: "Secret not on this computer", tone: "", testid: "badge-no-secret" });
  else out.push({ text: "Secret status unknown (keyring unavailable)", tone: "warn", testid: "badge-secret-unknown" });
  if (row.usedBy.length) {
    out.push({ text: `Used by: ${row.usedBy.map((c) => c.name).join(", ")}`, tone: "ok", testid: "badge-used-by" });
  } else {
    out.push({ text: "Not used by any connection", tone: "", testid: "badge-unused" });
  }
  return out;
}

/** Credentials no connection on this computer uses. */
export function unused(rows) {
  return rows.filter((r) => r.usedBy.length === 0);
}

/** Whether creating one more needs a confirmation (SpatiaFi: one credential per app). */
export function needsManyConfirm(count, warnAt) {
  return count + 1 >= warnAt;
}

/** What deleting a credential does here, for the confirmation dialog. */
export function deleteConsequence(row) {
  const names = (row?.usedBy ?? []).map((c) => c.name);
  const used = names.length
    ? `Used by ${names.join(", ")}: ${names.length === 1 ? "it" : "they"} will stop working, and the stored secret is removed from the keyring.`
    : "No connection on this computer uses it.";
  return `${used} Any copy of its secret in this computer's keyring is removed too. This cannot be undone.`;
}

/** The sentence after a delete. */
export function deletedText(outcome) {
  const head = outcome.alreadyGone
    ? `${outcome.clientId} was already deleted on SpatiaFi (from another computer or the website); it is removed from this computer too.`
    : `Deleted ${outcome.clientId}.`;
  const removed = outcome.secretsRemovedFrom.length
    ? ` Removed the stored secret of ${outcome.secretsRemovedFrom.map((c) => c.name).join(", ")}.`
    : "";
  return head + removed;
}

/** A service's 422, one line per field. */
export function fieldLines(error) {
  return (error?.fields ?? []).map((f) => `${f.field}: ${f.message}`);
}
