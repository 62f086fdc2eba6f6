// Mozilla's add-on linter (web-ext lint, the checks addons.mozilla.org runs) over the
// Firefox build:
//
//   node scripts/lint-firefox.mjs [dist/firefox]
//
// Prints the summary and every error, warning and notice (code, file, message), and exits
// 1 when there is any error. Warnings are listed but allowed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = resolve(process.argv[2] || join(ROOT, "dist", "firefox"));
const webExt = join(ROOT, "node_modules", ".bin", "web-ext");

if (!existsSync(join(dir, "manifest.json"))) {
  console.error(`lint-firefox: no extension in ${dir}: run './build.sh extension' first`);
  process.exit(1);
}
if (!existsSync(webExt)) {
  console.error(`lint-firefox: ${relative(ROOT, webExt)} is missing: run './build.sh setup' (package.json pins web-ext)`);
  process.exit(1);
}

const r = spawnSync(webExt, ["lint", "--source-dir", dir, "--output", "json", "--boring", "--no-config-discovery"], {
  encoding: "utf8",
  maxBuffer: 64 << 20,
  // web-ext would otherwise look for a newer version of itself on the npm registry.
  env: { ...process.env, NO_UPDATE_NOTIFIER: "1", CI: process.env.CI || "true" },
});
let report;
try {
  // The JSON report is the one line of stdout that parses.
  const line = (r.stdout || "").split("\n").find((l) => l.trim().startsWith("{"));
  report = JSON.parse(line);
} catch {
  console.error(`lint-firefox: web-ext lint printed no JSON report (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  process.exit(1);
}

const { errors = [], warnings = [], notices = [] } = report;
console.log(`web-ext lint ${relative(ROOT, dir) || dir}: ${errors.length} errors, ${warnings.length} warnings, ${notices.length} notices`);
for (const [kind, list] of [["error", errors], ["warning", warnings], ["notice", notices]]) {
  for (const m of list) {
    const where = m.file ? ` (${m.file}${m.line ? `:${m.line}` : ""})` : "";
    console.log(`  ${kind}: ${m.code}${where}: ${m.message}`);
    if (m.description) console.log(`      ${String(m.description).replace(/\s+/g, " ").slice(0, 400)}`);
  }
}
process.exit(errors.length ? 1 : 0);
