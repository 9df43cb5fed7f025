// The Table tab's order (pure functions: `node --test`). Rust sorts the whole view
// (`view_rows({ sort })`); the window only says which heading is sorted and which way.

import { RowSortKey } from "./contract.js";

/**
 * How the table is sorted by the heading `key` ({ by, column }): "ascending", "descending",
 * or null when it is sorted by another one. No sort (null) is time, ascending, as answered.
 */
export function sortedBy(sort, key) {
  const current = sort ?? { by: RowSortKey.time, column: 0, descending: false };
  const same = current.by === key.by && (key.by !== RowSortKey.value || current.column === key.column);
  if (!same) return null;
  return current.descending ? "descending" : "ascending";
}

/** The order after a click on the heading `key`: ascending first, then the other way; time ascending is no sort. */
export function nextSort(sort, key) {
  const next = { by: key.by, column: key.column, descending: sortedBy(sort, key) === "ascending" };
  return next.by === RowSortKey.time && !next.descending ? null : next;
}
