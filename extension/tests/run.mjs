// Runs the extension's tests with node's test runner: unit tests (no browser),
// then the browser tests (text extraction in Chromium, and the built extension end
// to end). Called by `./build.sh test` after the extension is assembled; the
// extension directory comes from RUNBOOK_LENS_EXT_DIR (default dist/chrome).
//
//   node extension/tests/run.mjs [unit|e2e]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = [];
for (const dir of ["unit", "e2e"]) {
  if (only && only !== dir) continue;
  for (const f of readdirSync(join(HERE, dir)).sort()) {
    if (f.endsWith(".test.mjs")) files.push(join(HERE, dir, f));
  }
}
const t0 = Date.now();
// One file at a time: each browser test file drives its own Chromium, and two
// at once on a 2-core machine only makes both slower and timing-sensitive.
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
});
console.log(`extension tests: ${files.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(r.status === null ? 1 : r.status);
