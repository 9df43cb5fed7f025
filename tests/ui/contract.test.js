// The window takes its vocabulary from ui/contract.js (written by Rust): no file of ui/ spells
// a connection kind, granularity, table, chart kind, time display, clock or error code itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as contract from "../../ui/contract.js";
import { WindowCode, callProblem } from "../../ui/api.js";

const ui = fileURLToPath(new URL("../../ui/", import.meta.url));

/**
 * The string literals of a JS source ('…', "…", and `…` without substitutions; the code inside
 * a substitution is read too), comments left out. Enough for our own plain modules: no regular
 * expression of ours holds a quote or a comment.
 */
function stringLiterals(source) {
  const found = [];
  // Reads code from `i`; inside a substitution, up to its closing brace. Returns where it ended.
  const code = (i, inSubstitution) => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      const next = source[i + 1];
      if (c === "/" && next === "/") {
        const end = source.indexOf("\n", i);
        i = end < 0 ? source.length : end;
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length : end + 2;
      } else if (c === '"' || c === "'") {
        let text = "";
        i += 1;
        while (i < source.length && source[i] !== c) {
          if (source[i] === "\\") i += 1;
          text += source[i];
          i += 1;
        }
        found.push(text);
        i += 1;
      } else if (c === "`") {
        let text = "";
        let substituted = false;
        i += 1;
        while (i < source.length && source[i] !== "`") {
          if (source[i] === "\\") {
            text += source[i + 1];
            i += 2;
          } else if (source[i] === "$" && source[i + 1] === "{") {
            substituted = true;
            i = code(i + 2, true);
          } else {
            text += source[i];
            i += 1;
          }
        }
        if (!substituted) found.push(text);
        i += 1;
      } else if (inSubstitution && c === "{") {
        depth += 1;
        i += 1;
      } else if (inSubstitution && c === "}") {
        if (depth === 0) return i + 1;
        depth -= 1;
        i += 1;
      } else {
        i += 1;
      }
    }
    return i;
  };
  code(0, false);
  return found;
}

test("literals are found, comments are not", () => {
  assert.deepEqual(
    stringLiterals(`const a = "x"; // "y"\n/* 'z' */ f('w', \`v\`, \`\${a}\`, "it's", "https://a")`),
    ["x", "w", "v", "it's", "https://a"],
  );
  // Nested templates and braces inside a substitution.
  assert.deepEqual(
    stringLiterals("`${a ? ` (${f({ b: 'c' })})` : \"d\"}` + 'e'"),
    ["c", "d", "e"],
  );
});

test("no window module spells a name the contract owns", () => {
  const owned = new Map();
  const own = (name, values) => { for (const v of values) owned.set(v, name); };
  own("ConnectionKind", Object.values(contract.ConnectionKind));
  own("Granularity", Object.values(contract.Granularity));
  own("InsightTable", Object.values(contract.InsightTable));
  own("ChartKind", Object.values(contract.ChartKind));
  own("TimeDisplay", Object.values(contract.TimeDisplay));
  own("Clock", Object.values(contract.Clock));
  own("ErrorCode", Object.values(contract.ErrorCode));
  own("WindowCode", Object.values(WindowCode));
  const files = readdirSync(ui).filter((f) => f.endsWith(".js") && f !== "contract.js");
  assert.ok(files.length > 5, `read ${ui}`);
  const spelt = [];
  for (const file of files) {
    for (const literal of stringLiterals(readFileSync(`${ui}${file}`, "utf8"))) {
      // The window's own codes are declared once, in api.js.
      if (owned.has(literal) && !(file === "api.js" && owned.get(literal) === "WindowCode")) {
        spelt.push(`${file}: "${literal}" (use ${owned.get(literal)} from contract.js)`);
      }
    }
  }
  assert.deepEqual(spelt, []);
});

test("the window's own codes are not Rust's", () => {
  const rust = new Set(Object.values(contract.ErrorCode));
  for (const code of Object.values(WindowCode)) {
    assert.ok(code.startsWith("window."), code);
    assert.ok(!rust.has(code), code);
  }
  assert.ok(rust.has(contract.ErrorCode.cancelled));
});

test("calls are checked against the contract's commands and arguments", () => {
  const { Command } = contract;
  assert.equal(callProblem(Command.fetch_insights, { connectionId: "c", query: {}, fetchId: "f", onProgress: null }), null);
  assert.equal(callProblem(Command.plan, { viewId: "v", byZoneType: true }), null);
  assert.match(callProblem(Command.plan, { viewId: "v", byZonetype: true }), /no argument "byZonetype"/);
  assert.match(callProblem("fetch_insight", {}), /no command "fetch_insight"/);
  assert.match(callProblem("toString", {}), /no command/);
});

test("every tab draws charts the contract knows, and exports something", () => {
  const kinds = new Set(Object.values(contract.ChartKind));
  const formats = new Set(Object.values(contract.ExportFormat));
  assert.deepEqual(contract.TABS.map((t) => t.id), Object.values(contract.Tab));
  for (const tab of contract.TABS) {
    for (const kind of [...tab.charts, ...tab.officeHoursCharts]) assert.ok(kinds.has(kind), `${tab.id}: ${kind}`);
    assert.ok(tab.charts.length || tab.exportChart || tab.ownChart, tab.id);
    assert.ok(tab.exportFormats.length && tab.exportFormats.every((f) => formats.has(f)), tab.id);
  }
});
