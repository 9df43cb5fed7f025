// Words and rules for the App Credentials panel (pure functions: tested with `node --test`).

import { ErrorCode } from "./contract.js";
import { duration } from "./health.js";

/** "14 min left" / "Sign-in expired" for a token status, `now` in unix seconds. */
export function timeLeft(token, now) {
  if (!token) return { text: "Signed out: sign in again", expired: true };
  const left = token.expiresAt - now;
  if (left <= 0) return { text: "Sign-in expired: sign in again", expired: true };
  return { text: `${duration(left)} left`, expired: false };
}

/** Only demo connections use it: their secrets are in memory, renewed at every start. */
const demoOnly = (row) => row.usedBy.length > 0 && row.usedBy.every((c) => c.demo);

/** Whether the row's secret is here, in words; `warn` when it should be and is not. */
function secretHere(row) {
  if (row.unsaved) return { text: "No: the keyring refused it (Retry saving)", warn: true };
  if (row.secretHere === true) return { text: demoOnly(row) ? "Yes, in memory (demo data)" : "Yes, in this computer's keyring", warn: false };
  if (row.secretHere === false) return { text: "No", warn: false };
  return { text: "Unknown (the keyring could not be asked)", warn: true };
}

/** What one credential row shows, {label, text, testid, warn}: its id, the connections on this
 * computer that use it, and whether its secret is here. */
export function rowFacts(row) {
  const used = row.usedBy.map((c) => (c.demo ? `${c.name} (demo)` : c.name)).join(", ");
  return [
    { label: "Id", text: row.clientId, testid: "app-credential-id", warn: false, code: true },
    { label: "Used by", text: used || "No connection on this computer", testid: "app-credential-used-by", warn: false },
    { label: "Secret here", ...secretHere(row), testid: "app-credential-secret-here" },
  ];
}

/** Credentials no connection on this computer uses. */
export function unused(rows) {
  return rows.filter((r) => r.usedBy.length === 0);
}

/** Whether creating one more needs a confirmation (SpatiaFi: one credential per app). */
export function needsManyConfirm(count, warnAt) {
  return count + 1 >= warnAt;
}

const names = (list) => list.map((c) => c.name).join(", ");
const they = (list) => (list.length === 1 ? "it" : "they");

/** What deleting a credential does here, for the confirmation dialog. Demo connections keep
 * their secrets in memory, so for them nothing is removed from the keyring. */
export function deleteConsequence(row) {
  const users = row?.usedBy ?? [];
  const real = users.filter((c) => !c.demo);
  const demo = users.filter((c) => c.demo);
  const parts = [];
  if (!users.length) parts.push("No connection on this computer uses it.");
  if (real.length) parts.push(`Used by ${names(real)}: ${they(real)} will stop working.`);
  if (demo.length) {
    parts.push(`Used by ${names(demo)} (demo data): ${they(demo)} will stop working until the next start, when the demo starts afresh.`);
  }
  parts.push(demo.length && !real.length
    ? "Demo secrets are kept in memory: nothing is removed from the keyring."
    : "Any copy of its secret in this computer's keyring is removed. This cannot be undone.");
  return parts.join(" ");
}

/**
 * A sign-in error as the sign-in form says it: the email and password typed above it, where
 * the service's words point to "the connection settings". Other errors keep their words.
 */
export function signInMessage(error) {
  if (error?.code === ErrorCode.authInvalidCredentials) {
    return "SpatiaFi did not accept this email and password. Check both above and sign in again.";
  }
  if (error?.code === ErrorCode.authPasswordExpired) {
    return "The password for this account has expired. Change it on SpatiaFi's website, then sign in here with the new one.";
  }
  return error?.message ?? String(error);
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
