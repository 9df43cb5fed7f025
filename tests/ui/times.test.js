import { test } from "node:test";
import assert from "node:assert/strict";
import { clockTime, hourText, inZone, rowTime, shownZone, timeHeading, zoneLabel } from "../../ui/times.js";

const chicago = { timeZone: "America/Chicago", timeZoneKnown: true };
const building = { display: "building-local", clock: "24h", computerZone: "Europe/London", computerZoneKnown: true };
const mine12 = { display: "this-computer", clock: "12h", computerZone: "Europe/London", computerZoneKnown: true };

test("12-hour clock says 12 AM at midnight and 12 PM at noon", () => {
  assert.equal(clockTime("00:00", "12h"), "12:00 AM");
  assert.equal(clockTime("00:15", "12h"), "12:15 AM");
  assert.equal(clockTime("12:00", "12h"), "12:00 PM");
  assert.equal(clockTime("13:05", "12h"), "1:05 PM");
  assert.equal(clockTime("23:45", "12h"), "11:45 PM");
  assert.equal(clockTime("13:05", "24h"), "13:05");
  assert.equal(clockTime("13:05", undefined), "13:05");
  assert.equal(hourText(0, "12h"), "12:00 AM");
  assert.equal(hourText(9, "24h"), "09:00");
});

test("an instant in another zone keeps the instant and takes that zone's offset", () => {
  assert.equal(inZone("2026-05-12T11:00:00-05:00", "Europe/London"), "2026-05-12T17:00:00+01:00");
  assert.equal(inZone("2026-05-12T16:00:00Z", "America/Chicago"), "2026-05-12T11:00:00-05:00");
  assert.equal(inZone("2026-01-05T09:15:00+11:00", "Asia/Kolkata"), "2026-01-05T03:45:00+05:30");
  assert.equal(inZone("nonsense", "Europe/London"), "");
  assert.equal(inZone("2026-05-12T16:00:00Z", "Not/AZone"), "2026-05-12T16:00:00Z");
});

test("both DST edges of the shown zone are right", () => {
  // Chicago springs forward on 2026-03-08: 01:59 CST is followed by 03:00 CDT.
  assert.equal(inZone("2026-03-08T07:30:00Z", "America/Chicago"), "2026-03-08T01:30:00-06:00");
  assert.equal(inZone("2026-03-08T08:30:00Z", "America/Chicago"), "2026-03-08T03:30:00-05:00");
  // London falls back on 2026-10-25: 01:30 happens twice, told apart by the offset.
  assert.equal(inZone("2026-10-25T00:30:00Z", "Europe/London"), "2026-10-25T01:30:00+01:00");
  assert.equal(inZone("2026-10-25T01:30:00Z", "Europe/London"), "2026-10-25T01:30:00+00:00");
});

test("table rows in the building's zone or this computer's, on either clock", () => {
  const row = { startUtc: "2026-07-01T05:00:00Z", startLocal: "2026-07-01T00:00:00-05:00" };
  assert.equal(rowTime(row, building, chicago), "2026-07-01 00:00 (UTC−05:00)");
  assert.equal(rowTime(row, { ...building, clock: "12h" }, chicago), "2026-07-01 12:00 AM (UTC−05:00)");
  assert.equal(rowTime(row, mine12, chicago), "2026-07-01 6:00 AM (UTC+01:00)");
  assert.equal(rowTime(row, { ...mine12, clock: "24h" }, chicago), "2026-07-01 06:00 (UTC+01:00)");
  // No setting yet (older app_info): building local, 24-hour.
  assert.equal(rowTime(row, undefined, chicago), "2026-07-01 00:00 (UTC−05:00)");
});

test("the label always names the zone in use", () => {
  assert.equal(zoneLabel(building, chicago), "Times in America/Chicago (building local time)");
  assert.equal(zoneLabel(mine12, chicago),
    "Times in Europe/London (this computer's time zone; the building is in America/Chicago)");
  assert.equal(zoneLabel(building, { timeZone: "UTC", timeZoneKnown: false }), "Times in UTC: the building's time zone is not known");
  assert.equal(zoneLabel({ ...mine12, computerZone: "UTC", computerZoneKnown: false }, chicago),
    "Times in UTC: this computer's time zone could not be found");
  assert.deepEqual(shownZone(mine12, chicago), { zone: "Europe/London", building: false, known: true });
  assert.equal(timeHeading(mine12), "Your time");
  assert.equal(timeHeading(building), "Local time");
});
