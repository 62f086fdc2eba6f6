// `./build.sh bench` (wasm part): the engine as the panel runs it (dist/pkg, the size-tuned
// wasm) in node's V8, the same JavaScript engine as Chromium. The packs and queries are the
// native benchmark's (cargo bench --bench engine writes them to target/bench/): the cost of
// `explain` per alert against 100 and 1,000 runbooks, their ratio, and the time to load the
// corpus pack into an Engine. Prints rows (or writes them with --json <file>); never fails
// on a missed budget.
//
//   node scripts/bench-wasm.mjs [--pkg dist/pkg] [--dir target/bench] [--json target/bench/wasm.json]
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BENCH_DIR as DEFAULT_BENCH_DIR, NO_CORPUS, ROOT, arg, emit, median, ms, row } from "./bench-lib.mjs";

const BENCH_DIR = resolve(arg("dir", DEFAULT_BENCH_DIR));
const PKG = resolve(arg("pkg", join(ROOT, "dist", "pkg")));
const glue = join(PKG, "runbook_lens.js");
const wasmFile = join(PKG, "runbook_lens_bg.wasm");
if (!existsSync(glue) || !existsSync(wasmFile)) {
  console.error(`bench-wasm: no wasm package in ${PKG}: run './build.sh wasm' first`);
  process.exit(2);
}
const { default: init, Engine } = await import(pathToFileURL(glue).href);
await init({ module_or_path: readFileSync(wasmFile) });
if (typeof Engine !== "function" || typeof Engine.fromPackJson !== "function") {
  // The panel's wasm may leave JSON packs out (pack version 4: the panel reads the compact form
  // only); then these rows cannot be measured with the JSON packs cargo bench writes.
  const why = "not measurable: dist/pkg has no Engine.fromPackJson (the panel's wasm reads no JSON packs)";
  emit(["explain per alert, 100 runbooks (wasm)", "explain per alert, 1,000 runbooks (wasm)", "ratio 1,000 / 100 (wasm)", "load the corpus pack into an Engine (wasm)"].map((f) => row(f, why)));
  process.exit(0);
}

const now = () => performance.now();
const files = {
  p100: join(BENCH_DIR, "pack-100.json"),
  p1000: join(BENCH_DIR, "pack-1000.json"),
  corpus: join(BENCH_DIR, "pack-corpus.json"),
  queries: join(BENCH_DIR, "queries.json"),
};
const haveCorpus = Object.values(files).every((f) => existsSync(f));

/**
 * Mean ms per alert over `queries`: warm-up rounds for ≥ 300 ms (V8 compiles wasm with a
 * baseline compiler first and tiers hot functions up while they run), then rounds until
 * ≥ 500 ms (≥ 3 rounds).
 */
function perAlert(engine, queries) {
  let matched = 0;
  for (const q of queries) matched += engine.explainCount(q);
  for (const w0 = now(); now() - w0 < 300; ) for (const q of queries) engine.explainCount(q);
  let rounds = 0;
  const t0 = now();
  while (now() - t0 < 500 || rounds < 3) {
    for (const q of queries) engine.explainCount(q);
    rounds++;
  }
  return { ms: (now() - t0) / (rounds * queries.length), matched, rounds };
}

/** Median ms to build an Engine from `json` over `n` loads. */
function loadTime(json, n) {
  const times = [];
  let runbooks = 0;
  for (let i = 0; i < n; i++) {
    const t0 = now();
    const e = Engine.fromPackJson(json, "");
    times.push(now() - t0);
    runbooks = e.runbooks;
    e.free();
  }
  return { ms: median(times), runbooks };
}

const rows = [];
if (!haveCorpus) {
  for (const f of ["explain per alert, 100 runbooks (wasm)", "explain per alert, 1,000 runbooks (wasm)", "ratio 1,000 / 100 (wasm)", "load the corpus pack into an Engine (wasm)"]) {
    rows.push(row(f, NO_CORPUS, f.includes("1,000 runbooks") ? "≤ 3 ms" : f.startsWith("ratio") ? "≤ 2" : "-", null));
  }
} else {
  const queries = JSON.parse(readFileSync(files.queries, "utf8"));
  const results = {};
  for (const [key, file] of [["p100", files.p100], ["p1000", files.p1000]]) {
    const engine = Engine.fromPackJson(readFileSync(file, "utf8"), "");
    results[key] = { ...perAlert(engine, queries), runbooks: engine.runbooks };
    engine.free();
  }
  const { p100, p1000 } = results;
  rows.push(row(`explain per alert, ${p100.runbooks} runbooks (wasm)`, ms(p100.ms, 3), "-", null));
  rows.push(row(`explain per alert, ${p1000.runbooks.toLocaleString("en")} runbooks (wasm)`, ms(p1000.ms, 3), "≤ 3 ms", p1000.ms <= 3));
  const ratio = p1000.ms / p100.ms;
  rows.push(row("ratio 1,000 / 100 (wasm)", ratio.toFixed(2), "≤ 2", ratio <= 2));
  const corpus = readFileSync(files.corpus, "utf8");
  const load = loadTime(corpus, 3);
  rows.push(row(`load the corpus pack into an Engine (wasm, ${load.runbooks} pages, ${(corpus.length / 1024 / 1024).toFixed(1)} MB JSON)`, ms(load.ms, 0), "-", null));
  if (p100.matched === 0 || p1000.matched === 0) {
    console.error(`bench-wasm: warning: no query matched a runbook (100: ${p100.matched}, 1,000: ${p1000.matched}); the figures may not be meaningful`);
  }
}
emit(rows);
