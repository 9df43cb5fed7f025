import { test } from "node:test";
import assert from "node:assert/strict";
import { baseUrlProblem, draftProblems, isLoopbackHost } from "../validate.js";

test("loopback hosts", () => {
  for (const host of ["localhost", "127.0.0.1", "127.9.8.7", "[::1]"]) assert.ok(isLoopbackHost(host), host);
  for (const host of ["example.com", "128.0.0.1", "10.0.0.1"]) assert.ok(!isLoopbackHost(host), host);
});

test("base URL needs https unless loopback", () => {
  assert.equal(baseUrlProblem(""), "");
  assert.equal(baseUrlProblem("https://api.innerspace.io"), "");
  assert.equal(baseUrlProblem("http://127.0.0.1:4000"), "");
  assert.match(baseUrlProblem("http://api.innerspace.io"), /Use https:\/\//);
  assert.match(baseUrlProblem("htps//typo"), /not a valid URL/);
  assert.match(baseUrlProblem("ftp://x.org"), /must start with https/);
  assert.match(baseUrlProblem("https://x.org/?q=1"), /cannot contain/);
});

test("draft problems name each field", () => {
  assert.deepEqual(draftProblems({ name: "HQ", clientId: "c", baseUrl: "" }), {});
  const p = draftProblems({ name: " ", clientId: "", baseUrl: "http://evil.example", kind: "spatiafi", authMethod: "password" });
  assert.deepEqual(Object.keys(p).sort(), ["baseUrl", "clientId", "name"]);
  assert.equal(p.clientId, "Enter the email address.");
});
