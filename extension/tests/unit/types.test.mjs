// The extension's JSDoc types, checked by TypeScript (`tsc --noEmit`, from npm): the scripts
// that carry `// @ts-check` against the wasm-bindgen-generated .d.ts of the panel's package
// (the `Panel` class and the `PanelHost` interface the Rust side imports), Chrome's extension
// API (@types/chrome) and lib/protocol.js, the one definition of the message kinds, port
// names and storage keys. The package comes from RUNBOOK_LENS_PKG_DIR (default dist/pkg,
// after `./build.sh wasm`); without its .d.ts the check cannot run, and that is a failure,
// not a skip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../../..");
const TSCONFIG = join(ROOT, "extension/tests/types/tsconfig.json");
const PKG_DIR = resolve(process.env.RUNBOOK_LENS_PKG_DIR || join(ROOT, "dist/pkg"));
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
// The declarations of both wasm packages: the panel's (panel.js, lib/pack-urls.js) and the
// options page's (options.js).
const PACKAGES = ["runbook_lens.d.ts", "runbook_lens_options.d.ts", "runbook_lens_rules.d.ts"];

/**
 * Runs tsc on the extension's config, with `./pkg` imports resolved to `pkgDir`'s .d.ts, and
 * with `probe` (the text of an extra `// @ts-check` script beside panel.js) when given.
 */
function typeCheck(pkgDir, probe) {
  // rootDirs: a temporary folder whose pkg/ holds the generated declarations stands beside
  // extension/, so that `./pkg/runbook_lens.js` resolves to them wherever the package was built.
  const tmp = mkdtempSync(join(tmpdir(), "rl-types-"));
  try {
    mkdirSync(join(tmp, "pkg"));
    for (const name of PACKAGES) copyFileSync(join(pkgDir, name), join(tmp, "pkg", name));
    const files = JSON.parse(readFileSync(TSCONFIG, "utf8")).files.map((f) => resolve(dirname(TSCONFIG), f));
    if (probe !== undefined) {
      writeFileSync(join(tmp, "probe.js"), probe);
      files.push(join(tmp, "probe.js"));
    }
    const config = join(tmp, "tsconfig.json");
    writeFileSync(config, JSON.stringify({ extends: TSCONFIG, compilerOptions: { rootDirs: [join(ROOT, "extension"), tmp] }, files }));
    return spawnSync(process.execPath, [TSC, "--noEmit", "--pretty", "false", "-p", config], { encoding: "utf8" });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test("the panel package's .d.ts and TypeScript are there (./build.sh wasm; npm ci)", () => {
  for (const name of PACKAGES) {
    assert.ok(existsSync(join(PKG_DIR, name)), `${PKG_DIR}/${name} is missing: run './build.sh wasm' (the check must not be skipped)`);
  }
  assert.ok(existsSync(TSC), `${TSC} is missing: run 'npm ci'`);
});

test("tsc: the extension's scripts agree with the Rust boundary, the protocol and Chrome's API", { timeout: 120000 }, () => {
  const r = typeCheck(PKG_DIR);
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `tsc found type errors:\n${r.stdout}${r.stderr}`);
});

// The check must be able to fail: a script that gets the host, the protocol or the panel's
// constructor wrong is refused, each mistake with its own error.
test("tsc: a wrong host, an unknown message kind and the old send-function constructor are refused", { timeout: 120000 }, () => {
  const probe = `// @ts-check
import "./lib/protocol.js";
import { Panel } from "./pkg/runbook_lens.js";
/** @type {import("./pkg/runbook_lens.js").PanelHost} */
const host = { collapse(c) {}, openOptions() {} };
const kind = globalThis.RunbookLensProtocol.Msg.collaps;
new Panel(document.body, (/** @type {unknown} */ msg) => {});
`;
  const r = typeCheck(PKG_DIR, probe);
  const out = r.stdout + r.stderr;
  assert.notEqual(r.status, 0, out);
  assert.match(out, /probe\.js\(5,[^\n]*saveSettings/, out);
  assert.match(out, /probe\.js\(6,[^\n]*collaps/, out);
  assert.match(out, /probe\.js\(7,/, out);
});
