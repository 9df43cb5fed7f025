import { test } from "node:test";
import assert from "node:assert/strict";
import { problemsByField } from "../../ui/catalog.js";

test("problems are keyed by field, first message wins", () => {
  assert.deepEqual(problemsByField([]), {});
  assert.deepEqual(
    problemsByField([
      { field: "name", message: "A connection named \"HQ\" already exists. Choose another name." },
      { field: "baseUrl", message: "Use https://" },
      { field: "name", message: "Give the connection a name." },
    ]),
    { name: "A connection named \"HQ\" already exists. Choose another name.", baseUrl: "Use https://" },
  );
});
