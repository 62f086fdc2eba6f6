// `./build.sh bench` (packs part): the three packs issue 11 measures, each made by the real
// `runbook-lens pack` (target/release/runbook-lens) in whatever form it writes on this commit:
//   builtin  the built-in example pages (src/builtin/runbooks)
//   corpus   the shared corpus folder as the options page imports it (../shared/corpus)
//   10k      the 10,000-page synthetic site (target/bench/site-10k, scripts/gen-site.mjs)
// Each is written to target/bench/cli-<name>.<ext>, the extension named after what the file
// is (`.json` for JSON text, `.rlpack` for gzip), and listed in target/bench/cli-packs.json,
// which the native benchmark (benches/engine.rs) and the browser part read. A pack the CLI
// refuses (the 10,000-page JSON pack is past the pack size limit before version 4) is listed
// with the CLI's reason, and every figure of it says "not measurable: <reason>".
//
//   node scripts/bench-packs.mjs [--cli target/release/runbook-lens] [--dir target/bench] [--json target/bench/packs.json]
import { spawnSync } from "node:child_process";
import { existsSync, openSync, readSync, closeSync, renameSync, rmSync, statSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BENCH_DIR as DEFAULT_BENCH_DIR, ROOT, arg, emit, ms, row, size } from "./bench-lib.mjs";

const BENCH_DIR = resolve(arg("dir", DEFAULT_BENCH_DIR));
const CLI = resolve(arg("cli", join(ROOT, "target", "release", "runbook-lens")));
const CORPUS = process.env.RUNBOOK_LENS_CORPUS ? resolve(process.env.RUNBOOK_LENS_CORPUS, "..") : join(ROOT, "..", "shared", "corpus");

/** The packs, in the order of the table. `label` names them in rows. */
export const PACKS = [
  { name: "builtin", label: "built-in example", source: join(ROOT, "src", "builtin", "runbooks") },
  { name: "corpus", label: "corpus", source: CORPUS },
  { name: "10k", label: "10,000-page site", source: join(BENCH_DIR, "site-10k") },
];

/** `.rlpack` for gzip (the compact form), `.json` for JSON text, `.pack` otherwise. */
function extensionOf(file) {
  const fd = openSync(file, "r");
  const head = Buffer.alloc(4);
  readSync(fd, head, 0, 4, 0);
  closeSync(fd);
  if (head[0] === 0x1f && head[1] === 0x8b) return ".rlpack";
  if (head.toString("latin1").startsWith("RLPK")) return ".rlpk";
  return /^\s*[[{]/.test(head.toString("latin1")) ? ".json" : ".pack";
}

/** The number of `.md` files under `dir` (what the pack should hold). */
function countPages(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile() && e.name.endsWith(".md")) n++;
  return n;
}

if (!existsSync(CLI)) {
  console.error(`bench-packs: no CLI at ${CLI}: run './build.sh cli' first`);
  process.exit(2);
}
for (const f of readdirSync(BENCH_DIR).filter((f) => f.startsWith("cli-"))) rmSync(join(BENCH_DIR, f));

const manifest = [];
const rows = [{ section: "the three packs: `runbook-lens pack` (release CLI)" }];
for (const p of PACKS) {
  const entry = { name: p.name, label: p.label, source: p.source, file: null, bytes: null, pages: null, ms: null, error: null };
  if (!existsSync(p.source)) {
    entry.error = p.name === "builtin" ? `no folder ${p.source}` : "skipped: corpus absent";
  } else {
    entry.pages = countPages(p.source);
    const tmp = join(BENCH_DIR, `cli-${p.name}.out`);
    const t0 = performance.now();
    const r = spawnSync(CLI, ["pack", p.source, "-o", tmp], { encoding: "utf8", maxBuffer: 1 << 24 });
    entry.ms = performance.now() - t0;
    if (r.status === 0 && existsSync(tmp)) {
      entry.file = join(BENCH_DIR, `cli-${p.name}${extensionOf(tmp)}`);
      renameSync(tmp, entry.file);
      entry.bytes = statSync(entry.file).size;
    } else {
      // The CLI's own words, shortened to its first line (without the program name).
      const why = (r.stderr || r.error?.message || `exit status ${r.status}`).trim().split("\n")[0].replace(/^runbook-lens:\s*/, "");
      const big = /it has (\d+) bytes.*?at most (\d+)/.exec(why);
      const reason = big ? `${size(Number(big[1]))} of pack, over the ${size(Number(big[2]))} limit` : why.replace(tmp, "<file>").slice(0, 160);
      entry.error = `not measurable: \`runbook-lens pack\` refuses it (${reason})`;
      rmSync(tmp, { force: true });
    }
  }
  manifest.push(entry);
  const what = `${p.label}${entry.pages ? ` (${entry.pages.toLocaleString("en")} pages)` : ""}`;
  if (entry.file) {
    rows.push(row(`pack file size, ${what}${entry.file.endsWith(".json") ? ", JSON" : ""}`, size(entry.bytes), p.name === "10k" ? "≤ 15 MB" : "-", p.name === "10k" ? entry.bytes <= 15 * 1024 * 1024 : null));
    rows.push(row(`  \`runbook-lens pack\` time, ${p.label}`, ms(entry.ms, 0)));
  } else {
    rows.push(row(`pack file size, ${what}`, entry.error, p.name === "10k" ? "≤ 15 MB" : "-", null));
  }
}
writeFileSync(join(BENCH_DIR, "cli-packs.json"), JSON.stringify(manifest, null, 1) + "\n");
emit(rows);
