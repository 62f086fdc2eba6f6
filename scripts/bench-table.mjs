// `./build.sh bench`: prints ONE table of every figure with its budget and whether it is
// met, from what the parts wrote to target/bench/:
//   native.txt    the output of `cargo bench --bench engine` (its rows are read back)
//   wasm.json     scripts/bench-wasm.mjs --json
//   browser.json  scripts/bench-browser.mjs --json
//   packs.json, browser-packs.json  scripts/bench-packs.mjs, scripts/bench-browser-packs.mjs (issue 11)
// A part that did not run (or crashed) shows as a row saying so. Never fails on a budget.
// With --markdown <file> it also writes the table, dated and with the machine it ran on,
// as that document (docs/bench.md), so the README stays free of figures that age.
//
//   node scripts/bench-table.mjs [--dir target/bench] [--markdown docs/bench.md]
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, type } from "node:os";
import { join } from "node:path";
import { BENCH_DIR, NO_CORPUS, ROOT, arg, printTable, readRows, row, verdict } from "./bench-lib.mjs";

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
  ...part("packs.json", "pack files of the three packs (bench-packs.mjs)"),
  ...part("browser-packs.json", "browser benchmark of the three packs"),
];
console.log("");
printTable(rows);
const missed = rows.filter((r) => r.met === false).map((r) => r.figure.trim());
const summary = missed.length ? `Budgets NOT MET: ${missed.join("; ")}` : "Every measured budget is met.";
console.log(`\n${summary}`);

const markdownFile = arg("markdown");
if (markdownFile) {
  writeFileSync(markdownFile, benchDocument(rows, summary));
  console.log(`wrote ${markdownFile}`);
}

/** The commit the figures were measured at, with `+` when the tree had changes. */
function commit() {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${head}+ (with uncommitted changes)` : head;
  } catch {
    return "unknown";
  }
}

/** True when the native part measured the corpus (it prints SKIPPED without it). */
function corpusMeasured() {
  const file = join(dir, "native.txt");
  return existsSync(file) && !/SKIPPED native benchmark/.test(readFileSync(file, "utf8"));
}

/** A markdown table cell: pipes escaped. */
function cell(s) {
  return String(s).replaceAll("|", "\\|");
}

/** docs/bench.md: what was measured, when, where, and the table. */
function benchDocument(rows, summary) {
  const table = [
    "| figure | value | budget | met? |",
    "|---|--:|--:|---|",
    ...rows.map((r) =>
      r.section ? `| **${cell(r.section)}** | | | |` : `| ${cell(r.figure)} | ${cell(r.value)} | ${cell(r.budget)} | ${verdict(r.met)} |`,
    ),
  ];
  const cpu = cpus()[0]?.model?.trim() || "unknown CPU";
  const when = new Date().toISOString().replace(/\.\d+Z$/, " UTC").replace("T", " ");
  return `# Speed and size

Written by \`./build.sh bench\` (scripts/bench-table.mjs); do not edit by hand: run it again.
Tests never assert times; this table is how speed and size are watched. A budget that is
missed says NOT MET here and does not fail the command.

- Measured: ${when}, at commit ${commit()}
- Machine: ${availableParallelism()} cores (${cpu}), ${type()} ${release()}, node ${process.version}
- Corpus: ${corpusMeasured() ? "present (../shared/corpus)" : "absent or not measured: the corpus rows say so"}

${table.join("\n")}

${summary}

## Reading the table

- *native* is \`cargo bench --bench engine\` (release build): parsing the corpus into a pack,
  and \`explain\` per alert against packs of 100 and 1,000 runbooks synthesised from it.
- *wasm* runs the same packs and queries through \`dist/pkg\` in node's V8.
- *browser* drives the built extension in headless Chromium. "Cold" is a fresh page load
  with the alert rendered late (wasm compile and init included); "SPA" is the next incident
  swapped in without a reload. The payload row is what an incident page loads for the panel
  (budget 200 KB gzip); the options page has its own wasm, with the markdown parser, and is
  not part of it.
- *the three packs* (issue 11): the built-in example, the corpus as the options page imports
  it, and a 10,000-page site written by \`scripts/gen-site.mjs\` (the corpus cycled, each copy's
  alert names renamed, prose kept), each packed by \`runbook-lens pack\` in the form it writes
  on the commit measured; loaded natively; then in Chromium, in a brand-new profile each: the
  pack file imported on the options page, (d) the first guidance, (a) direct opens next to the
  page's load event, (b) every SPA switch, (b2) SPA switches while other incidents open in new
  tabs (every panel of the extension shares one renderer process in Chromium, so a panel
  loading its packs holds up the others), (c) the panel's wasm memory + JS heap, and (e) the
  folder imported on the options page. A figure the commit cannot produce says "not
  measurable" and why. The panel's trace of every SPA run (long tasks, storage reads and
  events, the policy read, other panels' long tasks) is in target/bench/spa-trace-*.json, and
  \`./build.sh bench\` prints each slow run with what ran meanwhile. "A copy's own Example
  Alert puts that copy first" checks that the synthetic site's copies stay distinct runbooks.
- Corpus conformance (how often an alert page's own example, rewritten as another incident,
  puts that page first) is a test, not a figure here: \`tests/it/corpus.rs\`.
`;
}
