// Shared by the benchmark scripts (bench-wasm.mjs, bench-browser.mjs, bench-table.mjs):
// one row per figure {figure, value, budget, met}, where `met` is true, false or null (no
// budget, or not measured). Times are measured here and printed; nothing asserts them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BENCH_DIR = join(ROOT, "target", "bench");
export const NO_CORPUS = "skipped: no corpus";

/** A row. `met` null means no budget (or not measured). */
export function row(figure, value, budget = "-", met = null) {
  return { figure, value, budget, met };
}

/** The value of `--name <value>` in argv, or `fallback`. */
export function arg(name, fallback = null) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** Writes rows as JSON (for bench-table.mjs) when --json <file> is given, else prints them. */
export function emit(rows) {
  const out = arg("json");
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(rows, null, 1) + "\n");
  } else {
    printTable(rows);
  }
}

/** Reads the JSON the benchmark scripts write; null when absent or unreadable. */
export function readRows(file) {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

export const verdict = (met) => (met === true ? "met" : met === false ? "NOT MET" : "-");

/** A plain-text table: figure, value, budget, met?. */
export function printTable(rows, title = null) {
  const cols = [
    ["figure", (r) => r.figure],
    ["value", (r) => r.value],
    ["budget", (r) => r.budget],
    ["met?", (r) => verdict(r.met)],
  ];
  const cells = rows.map((r) => (r.section ? null : cols.map(([, f]) => String(f(r)))));
  const width = cols.map(([h], i) => Math.max(h.length, ...cells.filter(Boolean).map((c) => [...c[i]].length)));
  // Section titles span the figure column.
  width[0] = Math.max(width[0], ...rows.filter((r) => r.section).map((r) => r.section.length + 4));
  const pad = (s, w, right) => (right ? " ".repeat(Math.max(0, w - [...s].length)) + s : s + " ".repeat(Math.max(0, w - [...s].length)));
  const line = (c) => "| " + c.map((s, i) => pad(s, width[i], i === 1 || i === 2)).join(" | ") + " |";
  const sep = "|" + width.map((w) => "-".repeat(w + 2)).join("|") + "|";
  if (title) console.log(title);
  console.log(line(cols.map(([h]) => h)));
  console.log(sep);
  rows.forEach((r, i) => {
    if (r.section) console.log(line([`— ${r.section} —`, "", "", ""]));
    else console.log(line(cells[i]));
  });
}

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const ms = (x, digits = 1) => `${x.toFixed(digits)} ms`;
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
/** KB below 1 MB, MB above. */
export const size = (bytes) => (bytes < 1024 * 1024 ? kb(bytes) : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
