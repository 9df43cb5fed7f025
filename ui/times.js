// How times of day are shown (pure functions: `node --test`): in the building's zone (the
// default) or in this computer's zone, on a 24- or 12-hour clock, always with the zone named.
// Rust decides what "this computer's zone" is (app_info's `times.computerZone`), so the table
// here and the charts and figures drawn in Rust agree; only the table's rows are converted
// here, through Intl with that IANA name (the zone's own rules, so DST days stay right).

import { Clock, TimeDisplay } from "./contract.js";

const pad = (n) => String(n).padStart(2, "0");

/** "14:05" on the chosen clock: unchanged on 24 hours, "2:05 PM" on 12 (12 AM, 12 PM). */
export function clockTime(hhmm, clock) {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm ?? "");
  if (!m || clock !== Clock.h12) return hhmm ?? "";
  const hour = Number(m[1]) % 24;
  return `${hour % 12 === 0 ? 12 : hour % 12}:${m[2]} ${hour < 12 ? "AM" : "PM"}`;
}

/** A local hour (0–23) as a time of day on the chosen clock: "09:00" or "9:00 AM". */
export function hourText(hour, clock) {
  return clockTime(`${pad(hour)}:00`, clock);
}

const formatters = new Map();

/**
 * An instant (RFC 3339, any offset) as RFC 3339 in `zone` with its offset there, e.g.
 * ("2026-05-12T16:00:00Z", "Europe/London") → "2026-05-12T17:00:00+01:00". Empty when the
 * instant cannot be read; the instant unchanged when the zone is unknown to this engine.
 */
export function inZone(rfc3339, zone) {
  const ms = Date.parse(rfc3339 ?? "");
  if (Number.isNaN(ms)) return "";
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23",
        year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
      });
    } catch {
      return rfc3339;
    }
    formatters.set(zone, f);
  }
  const secs = Math.floor(ms / 1000) * 1000;
  const p = Object.fromEntries(f.formatToParts(new Date(secs)).map((x) => [x.type, x.value]));
  const hour = Number(p.hour) % 24;
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), hour, Number(p.minute), Number(p.second));
  const offset = Math.round((wall - secs) / 60000);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${p.year}-${p.month}-${p.day}T${pad(hour)}:${p.minute}:${p.second}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Where a result's times are shown: {zone, building, known}. `times` is app_info's (absent
 * means building local on a 24-hour clock); `result` has the building's `timeZone`.
 */
export function shownZone(times, result) {
  if (times?.display === TimeDisplay.thisComputer) {
    return { zone: times.computerZone, building: false, known: times.computerZoneKnown !== false };
  }
  return { zone: result.timeZone, building: true, known: result.timeZoneKnown !== false };
}

/** The line beside the times, naming the zone in use (analysts compare sites). */
export function zoneLabel(times, result) {
  const z = shownZone(times, result);
  if (z.building) {
    return z.known ? `Times in ${z.zone} (building local time)` : "Times in UTC: the building's time zone is not known";
  }
  return z.known
    ? `Times in ${z.zone} (this computer's time zone; the building is in ${result.timeZone})`
    : "Times in UTC: this computer's time zone could not be found";
}

/** The table's time column heading. */
export function timeHeading(times) {
  return times?.display === TimeDisplay.thisComputer ? "Your time" : "Local time";
}

/**
 * A row's start as the table shows it: "2026-03-08 03:00 (UTC−05:00)", or
 * "2026-03-08 3:00 AM (UTC−05:00)" on a 12-hour clock; in the building's zone straight from
 * Rust's local time (its wall clock taken as it is), or converted to this computer's zone.
 */
export function rowTime(row, times, result) {
  const z = shownZone(times, result);
  const text = z.building ? row.startLocal : inZone(row.startUtc, z.zone);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return text;
  const offset = m[3] === "Z" ? "+00:00" : m[3];
  return `${m[1]} ${clockTime(m[2], times?.clock)} (UTC${offset.replace("-", "−")})`;
}
