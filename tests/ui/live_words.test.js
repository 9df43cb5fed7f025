import test from "node:test";
import assert from "node:assert/strict";
import { agoText, asOfText, isStale, retrySecs, waitText, zoneText, floorText } from "../../ui/live_words.js";

test("ago is said in minutes, then hours", () => {
  assert.equal(agoText(1000, 1030), "less than a minute ago");
  assert.equal(agoText(1000, 1060), "1 minute ago");
  assert.equal(agoText(1000, 1000 + 3 * 60 + 59), "3 minutes ago");
  assert.equal(agoText(0, 3 * 3600), "3 hours ago");
  assert.equal(asOfText({ asOf: 1000, asOfText: "10:42" }, 1000 + 180), "As of 10:42, 3 minutes ago");
  assert.match(asOfText({ asOf: null }, 0), /No zone has a reading/);
});

test("stale after a failed refresh or fifteen minutes", () => {
  assert.equal(isStale({ asOf: 1000 }, false, 1000 + 60), false);
  assert.equal(isStale({ asOf: 1000 }, true, 1000 + 60), true);
  assert.equal(isStale({ asOf: 1000 }, false, 1000 + 16 * 60), true);
});

test("retries back off by doubling up to ten minutes", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => retrySecs(60, n)), [60, 120, 240, 480, 600, 600]);
  assert.equal(retrySecs(2, 3), 16, "a test's short interval backs off the same way");
  assert.equal(waitText(120), "2 min");
  assert.equal(waitText(16), "16 s");
});

test("zones and floors in words", () => {
  assert.equal(zoneText({ people: 12, capacity: 20, fullness: 60 }), "12 of 20 (60 %)");
  assert.equal(zoneText({ people: 3, capacity: null, fullness: null }), "3 (capacity unknown)");
  assert.equal(zoneText({ people: null }), "no reading in the last hour");
  assert.equal(floorText({ people: 31, fullness: 64.4 }), "31 people, 64 % full");
  assert.equal(floorText({ people: 2.5, fullness: null }), "2.5 people");
});
