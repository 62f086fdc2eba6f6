// Runs the extension's tests with node's test runner: unit tests (no browser),
// then the browser tests (text extraction in Chromium, and the built extension end
// to end). Called by `./build.sh test` after the extension is assembled; the
// extension directory comes from RUNBOOK_LENS_EXT_DIR (default dist/chrome).
//
//   node extension/tests/run.mjs [unit|e2e|firefox]
//
// Without an argument: unit and e2e. `firefox` runs extension/tests/firefox (the Firefox
// build in Firefox ESR; it reads RUNBOOK_LENS_FIREFOX_DIR/ZIP and FIREFOX_PATH).
//
// A skipped test never passes for a run that passed: every skipped (or todo) test and
// suite is named in a SKIPPED summary at the end, and under CI=true any of them fails the
// run (exit status 1), since there a missing browser or build is a broken machine, not a
// reason to test less.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const SUITES = ["unit", "e2e", "firefox"];
const only = process.argv[2];
if (only !== undefined && !SUITES.includes(only)) {
  console.error(`run.mjs: unknown suite '${only}' (known: ${SUITES.join(", ")})`);
  process.exit(2);
}
const files = [];
for (const dir of only ? [only] : ["unit", "e2e"]) {
  for (const f of readdirSync(join(HERE, dir)).sort()) {
    if (f.endsWith(".test.mjs")) files.push(join(HERE, dir, f));
  }
}

const work = mkdtempSync(join(tmpdir(), "runbook-lens-tests-"));
const skipLog = join(work, "skipped.jsonl");
const t0 = Date.now();
// One file at a time: each browser test file drives its own browser, and two at once on a
// 2-core machine only makes both slower and timing-sensitive. Two reporters: spec for the
// reader, skip-reporter.mjs for the count below.
const r = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-concurrency=1",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    `--test-reporter=${pathToFileURL(join(HERE, "lib", "skip-reporter.mjs")).href}`,
    `--test-reporter-destination=${skipLog}`,
    ...files,
  ],
  { stdio: "inherit", env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" } },
);
let skipped = [];
try {
  skipped = readFileSync(skipLog, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
} catch (e) {
  console.error(`run.mjs: no skip report from the test runner (${e.message})`);
  skipped = null;
}
rmSync(work, { recursive: true, force: true });

console.log(`extension tests${only ? ` (${only})` : ""}: ${files.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const ci = process.env.CI === "true" || process.env.CI === "1";
if (skipped && skipped.length) {
  const tests = skipped.filter((s) => !s.suite).length;
  const suites = skipped.length - tests;
  console.log(`\nSKIPPED: ${tests} test${tests === 1 ? "" : "s"} and ${suites} whole suite${suites === 1 ? "" : "s"} (whose tests did not run and are in no count above):`);
  for (const s of skipped) {
    const where = s.file ? relative(ROOT, s.file) : "?";
    console.log(`  ${s.kind === "todo" ? "TODO   " : "SKIPPED"} ${s.suite ? "suite" : "test "} ${where}: ${s.name}${s.reason ? ` (${s.reason})` : ""}`);
  }
  if (ci) console.log("CI=true: a skipped test fails the run.");
}
// Exit status: the runner's when a test failed; under CI a skip fails too; elsewhere a run
// that passed but skipped something exits SKIPPED_RC, which build.sh reports as SKIPPED.
const SKIPPED_RC = 77;
let status = r.status === null ? 1 : r.status;
if (status === 0 && (skipped === null || skipped.length)) status = ci || skipped === null ? 1 : SKIPPED_RC;
process.exit(status);
