import { test } from "node:test";
import assert from "node:assert/strict";
import { deleteConsequence, deletedText, fieldLines, needsManyConfirm, rowFacts, signInMessage, timeLeft, unused } from "../../ui/app_credentials_text.js";
import { ErrorCode } from "../../ui/contract.js";

test("time left counts down and says when to sign in again", () => {
  const now = 1_800_000_000;
  assert.deepEqual(timeLeft({ expiresAt: now + 840 }, now), { text: "14 min left", expired: false });
  assert.equal(timeLeft({ expiresAt: now - 1 }, now).expired, true);
  assert.match(timeLeft(null, now).text, /sign in again/);
});

test("a row says its id, who uses it and whether its secret is here", () => {
  const here = rowFacts({ clientId: "c1", secretHere: true, unsaved: false, usedBy: [{ name: "Pipeline", demo: false }] });
  assert.deepEqual(here.map((f) => [f.label, f.text]), [
    ["Id", "c1"], ["Used by", "Pipeline"], ["Secret here", "Yes, in this computer's keyring"],
  ]);
  const demo = rowFacts({ clientId: "d", secretHere: true, unsaved: false, usedBy: [{ name: "Demo", demo: true }] });
  assert.deepEqual(demo.slice(1).map((f) => f.text), ["Demo (demo)", "Yes, in memory (demo data)"]);
  const lost = rowFacts({ clientId: "c2", secretHere: false, unsaved: true, usedBy: [] });
  assert.deepEqual(lost.slice(1).map((f) => [f.text, f.warn]), [["No connection on this computer", false], ["No: the keyring refused it (Retry saving)", true]]);
  assert.equal(rowFacts({ clientId: "c3", secretHere: false, unsaved: false, usedBy: [] })[2].text, "No");
  assert.match(rowFacts({ clientId: "c4", secretHere: null, unsaved: false, usedBy: [] })[2].text, /Unknown/);
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
  for (const row of [{ usedBy: [] }, { usedBy: [{ name: "A", demo: false }] }, { usedBy: [{ name: "D", demo: true }] }]) {
    const text = deleteConsequence(row);
    assert.ok(text.split("keyring").length - 1 <= 1, `the keyring named once at most: ${text}`);
  }
  // Demo secrets are in memory: nothing leaves the keyring, and the demo comes back.
  const demo = deleteConsequence({ usedBy: [{ name: "Demo SpatiaFi", demo: true }] });
  assert.equal(demo, "Used by Demo SpatiaFi (demo data): it will stop working until the next start, when the demo starts afresh. Demo secrets are kept in memory: nothing is removed from the keyring.");
  assert.match(deletedText({ clientId: "c1", alreadyGone: true, secretsRemovedFrom: [] }), /already deleted/);
  assert.equal(deletedText({ clientId: "c1", alreadyGone: false, secretsRemovedFrom: [{ name: "P" }] }), "Deleted c1. Removed the stored secret of P.");
});

test("validation errors read field by field", () => {
  assert.deepEqual(fieldLines({ fields: [{ field: "clientId", message: "Input should be a valid UUID" }] }), ["clientId: Input should be a valid UUID"]);
  assert.deepEqual(fieldLines({ code: "net.offline" }), []);
});

test("sign-in errors point to the sign-in form, not the connection settings", () => {
  const bad = signInMessage({ code: ErrorCode.authInvalidCredentials, message: "The email address or password was not accepted. Check both in the connection settings and try again." });
  assert.equal(bad, "SpatiaFi did not accept this email and password. Check both above and sign in again.");
  assert.doesNotMatch(signInMessage({ code: ErrorCode.authPasswordExpired, message: "… in the connection settings." }), /connection settings/);
  assert.equal(signInMessage({ code: ErrorCode.netOffline, message: "Could not reach x." }), "Could not reach x.");
});
