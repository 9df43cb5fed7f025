import { test } from "node:test";
import assert from "node:assert/strict";
import { nextSort, sortedBy } from "../../ui/table_sort.js";
import { RowSortKey } from "../../ui/contract.js";

const time = { by: RowSortKey.time, column: 0 };
const where = { by: RowSortKey.where, column: 0 };
const mean = { by: RowSortKey.value, column: 0 };
const peak = { by: RowSortKey.value, column: 1 };

test("no sort is time ascending; each heading knows whether it is the sorted one", () => {
  assert.equal(sortedBy(null, time), "ascending");
  assert.equal(sortedBy(null, mean), null);
  const byPeak = { ...peak, descending: true };
  assert.equal(sortedBy(byPeak, peak), "descending");
  assert.equal(sortedBy(byPeak, mean), null);
  assert.equal(sortedBy(byPeak, time), null);
});

test("a click sorts ascending, a second click the other way, and time ascending is no sort", () => {
  assert.deepEqual(nextSort(null, mean), { ...mean, descending: false });
  assert.deepEqual(nextSort({ ...mean, descending: false }, mean), { ...mean, descending: true });
  assert.deepEqual(nextSort({ ...mean, descending: true }, mean), { ...mean, descending: false });
  assert.deepEqual(nextSort({ ...mean, descending: false }, where), { ...where, descending: false });
  assert.deepEqual(nextSort(null, time), { ...time, descending: true });
  assert.equal(nextSort({ ...time, descending: true }, time), null);
});
