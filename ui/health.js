// Words for a connection's last test (pure functions: tested with `node --test`).

import { clockTime, inZone } from "./times.js";

/**
 * A time of day ("14:05"). With app_info's `times`: in this computer's zone as Rust names it, on
 * the user's 12- or 24-hour clock ("2:05 PM"); without, as this engine's local time.
 */
export function clock(unixSecs, times = null) {
  if (times?.computerZone) {
    return clockTime(inZone(new Date(unixSecs * 1000).toISOString(), times.computerZone).slice(11, 16), times.clock);
  }
  const d = new Date(unixSecs * 1000);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

export function duration(secs) {
  // Rounded to the minute first, so 1 h 59 min 59 s is "2 h", never "1 h 60 min".
  if (secs >= 3600) {
    const minutes = Math.round(secs / 60);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  if (secs >= 60) return `${Math.round(secs / 60)} min`;
  return `${Math.max(0, Math.round(secs))} s`;
}

/** {text, tone} for a card: tone is "ok", "warn" or "bad". `now` in unix seconds; `times` as
 * for `clock`. */
export function healthText(health, now, times = null) {
  if (!health) return { text: "Not tested yet", tone: "warn" };
  if (health.state === "ok") {
    return health.expiresAt > now
      ? { text: `OK until ${clock(health.expiresAt, times)}`, tone: "ok" }
      : { text: `Token expired at ${clock(health.expiresAt, times)}; test again`, tone: "warn" };
  }
  return { text: `Failed: ${health.message}`, tone: "bad" };
}

/** What the user reads right after a successful test. */
export function testedText(status, times = null) {
  return `Connected. The token is valid for ${duration(status.remainingSecs)} (until ${clock(status.expiresAt, times)}).`;
}

/**
 * The status line's words on a connection that signed in (its last test or use was OK), or
 * null when it no longer is. Connections with a stored secret get a new token by themselves
 * when theirs runs out, so the time left means nothing to an analyst; a personal sign-in
 * (an email and a password used once) lasts until its token ends. `now` in unix seconds;
 * `times` as for `clock` (the user's 12- or 24-hour clock).
 */
export function sessionText(health, { personal = false, times = null } = {}, now = Date.now() / 1000) {
  if (health?.state !== "ok") return null;
  if (!personal) return "signed in, renews automatically";
  return health.expiresAt > now ? `signed in until ${clock(health.expiresAt, times)}` : null;
}

/**
 * "Last tested 09:12" (unix seconds `checkedAt`) in this computer's time zone on the user's
 * clock (`times` is app_info's; a connection belongs to no building, so the building's zone
 * does not apply). A test on another day than `now` names its day: "Last tested 2026-12-05 09:12".
 */
export function lastTestedText(checkedAt, times, now) {
  const zone = times?.computerZone ?? "UTC";
  const day = (secs) => inZone(new Date(secs * 1000).toISOString(), zone).slice(0, 10);
  const date = day(checkedAt) === day(now) ? "" : `${day(checkedAt)} `;
  return `Last tested ${date}${clock(checkedAt, { ...times, computerZone: zone })}`;
}
