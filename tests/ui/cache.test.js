import { test } from "node:test";
import assert from "node:assert/strict";
import { bytesText, holdsText, parseLimit } from "../../ui/cache.js";
import { CACHE_LIMIT_MB } from "../../ui/contract.js";

test("sizes read like a file manager's", () => {
  assert.equal(bytesText(0), "0 bytes");
  assert.equal(bytesText(1023), "1023 bytes");
  assert.equal(bytesText(1536), "1.5 KB");
  assert.equal(bytesText(500 * 1024 * 1024), "500.0 MB");
  assert.equal(bytesText(3 * 1024 ** 3), "3.0 GB");
  assert.equal(bytesText(undefined), "0 bytes");
});

test("the size limit is a whole number of MB within Rust's bounds", () => {
  const { min, max } = CACHE_LIMIT_MB;
  assert.deepEqual(parseLimit("500"), { mb: 500 });
  assert.deepEqual(parseLimit(` ${min} `), { mb: min });
  assert.deepEqual(parseLimit(String(max)), { mb: max });
  assert.ok(parseLimit(String(min - 1)).error.includes(`between ${min} and ${max}`));
  assert.ok(parseLimit(String(max + 1)).error);
  assert.deepEqual(parseLimit("9", { min: 5, max: 20 }), { mb: 9 });
  assert.ok(parseLimit("1.5").error);
  assert.ok(parseLimit("").error);
  assert.ok(parseLimit("-3").error);
});

test("what the cache holds reads in the singular too", () => {
  assert.equal(holdsText(336, 1), "336 days of 1 view");
  assert.equal(holdsText(1, 2), "1 day of 2 views");
  assert.equal(holdsText(0, 0), "0 days of 0 views");
});
