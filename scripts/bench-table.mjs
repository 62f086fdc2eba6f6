// `./build.sh bench`: prints ONE table of every figure with its budget and whether it is
// met, from what the parts wrote to target/bench/:
//   native.txt    the output of `cargo bench --bench engine` (its rows are read back)
//   wasm.json     scripts/bench-wasm.mjs --json
//   browser.json  scripts/bench-browser.mjs --json
// A part that did not run (or crashed) shows as a row saying so. Never fails on a budget.
//
//   node scripts/bench-table.mjs [--dir target/bench]
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIR, NO_CORPUS, arg, printTable, readRows, row } from "./bench-lib.mjs";

const dir = arg("dir", BENCH_DIR);

/** The rows `cargo bench --bench engine` printed (`| figure | value | budget | verdict |`). */
function nativeRows(file) {
  if (!existsSync(file)) return [row("native benchmark", "not run (cargo bench failed?)")];
  const text = readFileSync(file, "utf8");
  if (/SKIPPED native benchmark/.test(text)) {
    return [
      row("parse corpus into a pack", NO_CORPUS, "≤ 1000 ms"),
      row("explain per alert, 100 runbooks", NO_CORPUS),
      row("explain per alert, 1,000 runbooks", NO_CORPUS, "≤ 1 ms"),
      row("ratio 1,000 / 100", NO_CORPUS, "≤ 2"),
    ];
  }
  const rows = [];
  for (const line of text.split("\n")) {
    const m = /^\|(.*)\|(.*)\|(.*)\|(.*)\|\s*$/.exec(line.trim());
    if (!m) continue;
    const [figure, value, budget, verdict] = m.slice(1).map((s) => s.trim());
    if (/^-+$/.test(figure) || /^figure\b/.test(figure)) continue;
    rows.push(row(figure, value, budget || "-", verdict === "met" ? true : verdict === "NOT MET" ? false : null));
  }
  return rows.length ? rows : [row("native benchmark", "no rows in its output")];
}

const part = (file, what) => readRows(join(dir, file)) || [row(what, "not run (the script failed?)")];

const rows = [
  { section: "native (cargo bench --bench engine, release)" },
  ...nativeRows(join(dir, "native.txt")),
  { section: "wasm (dist/pkg in node's V8)" },
  ...part("wasm.json", "wasm benchmark"),
  ...part("browser.json", "browser benchmark"),
];
console.log("");
printTable(rows);
const missed = rows.filter((r) => r.met === false).map((r) => r.figure.trim());
console.log(missed.length ? `\nBudgets NOT MET: ${missed.join("; ")}` : "\nEvery measured budget is met.");
