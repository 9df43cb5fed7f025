import { test } from "node:test";
import assert from "node:assert/strict";
import { duration, healthText, lastTestedText, testedText, clock } from "../../ui/health.js";
import { Clock, TimeDisplay } from "../../ui/contract.js";

test("durations read naturally", () => {
  assert.equal(duration(3600), "1 h");
  assert.equal(duration(5400), "1 h 30 min");
  assert.equal(duration(7199), "2 h", "a pasted token tested a second after it was made");
  assert.equal(duration(899), "15 min");
  assert.equal(duration(42), "42 s");
  assert.equal(duration(-3), "0 s");
});

test("health states", () => {
  const now = 1_800_000_000;
  assert.deepEqual(healthText(null, now), { text: "Not tested yet", tone: "warn" });
  const ok = healthText({ state: "ok", expiresAt: now + 600, checkedAt: now }, now);
  assert.equal(ok.tone, "ok");
  assert.equal(ok.text, `OK until ${clock(now + 600)}`);
  assert.equal(healthText({ state: "ok", expiresAt: now - 1 }, now).tone, "warn");
  const failed = healthText({ state: "failed", code: "auth.invalid_client", message: "The client id or secret was refused." }, now);
  assert.deepEqual(failed, { text: "Failed: The client id or secret was refused.", tone: "bad" });
});

test("tested text never needs the token", () => {
  const text = testedText({ expiresAt: 1_800_003_600, remainingSecs: 3599, lifetimeSecs: 3600 });
  assert.match(text, /valid for 60 min/);
});

test("the status line says signed in, not a token's minutes", async () => {
  const { sessionText } = await import("../../ui/health.js");
  const now = 1_800_000_000;
  const ok = { state: "ok", expiresAt: now + 3600 };
  assert.equal(sessionText(ok, {}, now), "signed in, renews automatically");
  // Renewed by itself: an expired token of a stored secret is no reason to worry.
  assert.equal(sessionText({ ...ok, expiresAt: now - 5 }, {}, now), "signed in, renews automatically");
  assert.equal(sessionText(ok, { personal: true }, now), `signed in until ${clock(now + 3600)}`);
  assert.equal(sessionText({ ...ok, expiresAt: now - 5 }, { personal: true }, now), null);
  // On the user's clock, in this computer's zone as Rust names it.
  const times = { computerZone: "UTC", clock: "12h" };
  const at = Date.UTC(2026, 11, 6, 14, 5) / 1000;
  assert.equal(sessionText({ state: "ok", expiresAt: at }, { personal: true, times }, at - 60), "signed in until 2:05 PM");
  assert.equal(sessionText({ state: "failed" }, {}, now), null);
  assert.equal(sessionText(null, {}, now), null);
});

test("last tested: this computer's zone, the user's clock, the day when not today", () => {
  // 2026-12-06T08:12:00Z is 09:12 in Berlin.
  const at = Date.UTC(2026, 11, 6, 8, 12) / 1000;
  const berlin = { display: TimeDisplay.buildingLocal, clock: Clock.h24, computerZone: "Europe/Berlin" };
  assert.equal(lastTestedText(at, berlin, at + 60), "Last tested 09:12");
  assert.equal(lastTestedText(at, { ...berlin, clock: Clock.h12 }, at + 60), "Last tested 9:12 AM");
  assert.equal(lastTestedText(at, { ...berlin, computerZone: "America/New_York" }, at + 60), "Last tested 03:12");
  assert.equal(lastTestedText(at, berlin, at + 86_400), "Last tested 2026-12-06 09:12");
  // The token's end on the card follows the same settings.
  const ok = { state: "ok", expiresAt: at + 3600, checkedAt: at };
  assert.equal(healthText(ok, at, { ...berlin, clock: Clock.h12 }).text, "OK until 10:12 AM");
  assert.match(testedText({ expiresAt: at + 3600, remainingSecs: 3600 }, berlin), /\(until 10:12\)/);
});
