// The Live view's words and timing (pure functions: `node --test`).

/** "3 minutes ago" for a reading at `atSecs`, `nowSecs` being now (both Unix seconds). */
export function agoText(atSecs, nowSecs) {
  const minutes = Math.max(0, Math.floor((nowSecs - atSecs) / 60));
  if (minutes < 1) return "less than a minute ago";
  if (minutes === 1) return "1 minute ago";
  if (minutes < 120) return `${minutes} minutes ago`;
  return `${Math.floor(minutes / 60)} hours ago`;
}

/** The line over the board: "As of 10:42, 3 minutes ago". */
export function asOfText(board, nowSecs) {
  return board.asOf == null ? "No zone has a reading from the last hour." : `As of ${board.asOfText}, ${agoText(board.asOf, nowSecs)}`;
}

/** Readings older than this are shown as stale even when the last refresh worked. */
export const STALE_AFTER_SECS = 15 * 60;

/** Whether what is on screen may no longer be so: the last refresh failed, or it is old. */
export function isStale(board, failed, nowSecs) {
  return failed || (board?.asOf != null && nowSecs - board.asOf > STALE_AFTER_SECS);
}

/** Seconds before the next try after `failures` failures in a row: the refresh interval
 * doubled per failure, at most ten minutes (never sooner than the usual refresh). */
export function retrySecs(refreshSecs, failures) {
  if (failures <= 0) return refreshSecs;
  return Math.min(Math.max(refreshSecs, 600), refreshSecs * 2 ** failures);
}

/** "2 min" / "45 s" for the retry notice. */
export function waitText(secs) {
  return secs >= 60 ? `${Math.round(secs / 60)} min` : `${Math.round(secs)} s`;
}

/** "12 of 20 (60 %)", "12 (capacity unknown)", "no reading". */
export function zoneText(zone) {
  if (zone.people == null) return "no reading in the last hour";
  const people = Number.isInteger(zone.people) ? zone.people : zone.people.toFixed(1);
  if (zone.capacity == null) return `${people} (capacity unknown)`;
  return `${people} of ${zone.capacity} (${Math.round(zone.fullness)} %)`;
}

/** "31 people, 64 % full" for a floor heading. */
export function floorText(floor) {
  const people = `${Number.isInteger(floor.people) ? floor.people : floor.people.toFixed(1)} people`;
  return floor.fullness == null ? people : `${people}, ${Math.round(floor.fullness)} % full`;
}
