import { test } from "node:test";
import assert from "node:assert/strict";
import { badges, deleteConsequence, deletedText, fieldLines, needsManyConfirm, timeLeft, unused } from "../../ui/app_credentials_text.js";

test("time left counts down and says when to sign in again", () => {
  const now = 1_800_000_000;
  assert.deepEqual(timeLeft({ expiresAt: now + 840 }, now), { text: "14 min left", expired: false });
  assert.equal(timeLeft({ expiresAt: now - 1 }, now).expired, true);
  assert.match(timeLeft(null, now).text, /sign in again/);
});

test("badges say where the secret is and who uses it", () => {
  const here = badges({ secretHere: true, unsaved: false, usedBy: [{ name: "Pipeline" }] });
  assert.deepEqual(here.map((b) => b.text), ["Secret on this computer", "Used by: Pipeline"]);
  const lost = badges({ secretHere: false, unsaved: true, usedBy: [] });
  assert.deepEqual(lost.map((b) => b.testid), ["badge-unsaved", "badge-unused"]);
  assert.equal(badges({ secretHere: null, unsaved: false, usedBy: [] })[0].testid, "badge-secret-unknown");
});

test("unused credentials and the tenth-credential warning", () => {
  const rows = [{ clientId: "a", usedBy: [] }, { clientId: "b", usedBy: [{ name: "x" }] }];
  assert.deepEqual(unused(rows).map((r) => r.clientId), ["a"]);
  assert.equal(needsManyConfirm(8, 10), false);
  assert.equal(needsManyConfirm(9, 10), true);
});

test("delete texts name the connections and the 404 case", () => {
  assert.match(deleteConsequence({ usedBy: [{ name: "A" }, { name: "B" }] }), /Used by A, B: they will stop working/);
  assert.match(deleteConsequence({ usedBy: [] }), /No connection/);
  assert.match(deletedText({ clientId: "c1", alreadyGone: true, secretsRemovedFrom: [] }), /already deleted/);
  assert.equal(deletedText({ clientId: "c1", alreadyGone: false, secretsRemovedFrom: [{ name: "P" }] }), "Deleted c1. Removed the stored secret of P.");
});

test("validation errors read field by field", () => {
  assert.deepEqual(fieldLines({ fields: [{ field: "clientId", message: "Input should be a valid UUID" }] }), ["clientId: Input should be a valid UUID"]);
  assert.deepEqual(fieldLines({ code: "net.offline" }), []);
});
