// Unit tests of scripts/build-extension.mjs: the one manifest transform, the
// manifest file check, and the reproducible zip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { checkManifestFiles, stripLineComments, transformManifest, zipDir } from "../../../scripts/build-extension.mjs";

const SOURCE = JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8"));

test("transformManifest: chrome keeps the source manifest; unknown browsers are refused", () => {
  const m = transformManifest({ ...SOURCE, browser_specific_settings: { gecko: { id: "x@y" } } }, "chrome");
  assert.equal(m.browser_specific_settings, undefined);
  assert.deepEqual(m.content_scripts, SOURCE.content_scripts);
  assert.equal(m.background.service_worker, "background.js");
  assert.throws(() => transformManifest(SOURCE, "netscape"), /unknown browser/);
  // The source is not changed in place.
  assert.equal(SOURCE.browser_specific_settings, undefined);
});

test("source manifest: MV3, the content script on PagerDuty only, web-accessible panel", () => {
  assert.equal(SOURCE.manifest_version, 3);
  // content.js last, after what it reads (lib/pd-page.js; lib/protocol.js once it uses it).
  const js = SOURCE.content_scripts[0].js;
  assert.equal(js.at(-1), "content.js");
  assert.deepEqual(js.filter((f) => f !== "lib/protocol.js"), ["lib/pd-page.js", "content.js"]);
  assert.deepEqual(SOURCE.content_scripts[0].matches, ["https://*.pagerduty.com/*"]);
  assert.ok(SOURCE.web_accessible_resources[0].resources.includes("panel.html"));
  for (const war of SOURCE.web_accessible_resources) {
    for (const origin of war.matches) assert.match(origin, /^https:\/\/[^/]+\/\*$/);
  }
});

test("checkManifestFiles: every named file must exist", () => {
  const dir = mkdtempSync(join(tmpdir(), "rl-ext-"));
  try {
    mkdirSync(join(dir, "pkg"));
    for (const f of ["background.js", "content.js", "panel.html", "panel.js", "panel.css", "pkg/runbook_lens.js"]) writeFileSync(join(dir, f), "x");
    const m = { background: { service_worker: "background.js" }, content_scripts: [{ js: ["content.js"] }], web_accessible_resources: [{ resources: ["panel.html", "pkg/*"], matches: ["https://*.pagerduty.com/*"] }] };
    checkManifestFiles(m, dir);
    assert.throws(() => checkManifestFiles({ ...m, icons: { 16: "icons/icon16.png" } }, dir), /icons\/icon16\.png/);
    assert.throws(() => checkManifestFiles({ ...m, web_accessible_resources: [{ resources: ["panel.html"], matches: ["https://*.pagerduty.com/incidents/*"] }] }, dir), /origin pattern/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("zipDir: reproducible in any time zone, sorted, stored when deflate does not help, and the entries read back", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rl-zip-"));
  const tz = process.env.TZ;
  try {
    mkdirSync(join(dir, "pkg"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(SOURCE));
    writeFileSync(join(dir, "pkg", "a.js"), "export const a = 1;\n".repeat(50));
    writeFileSync(join(dir, "b.bin"), Buffer.from([1, 2, 3]));
    const one = await zipDir(dir);
    const two = await zipDir(dir);
    assert.ok(one.equals(two), "same bytes twice");
    // The entries' times do not depend on where the build runs.
    process.env.TZ = "Pacific/Kiritimati";
    assert.ok((await zipDir(dir)).equals(one), "same bytes in another time zone");
    // Walk the local headers.
    const entries = [];
    let off = 0;
    while (one.readUInt32LE(off) === 0x04034b50) {
      const method = one.readUInt16LE(off + 8);
      const [time, date] = [one.readUInt16LE(off + 10), one.readUInt16LE(off + 12)];
      const size = one.readUInt32LE(off + 18);
      const nlen = one.readUInt16LE(off + 26);
      const xlen = one.readUInt16LE(off + 28);
      const name = one.toString("utf8", off + 30, off + 30 + nlen);
      const body = one.subarray(off + 30 + nlen + xlen, off + 30 + nlen + xlen + size);
      const data = method === 8 ? inflateRawSync(body) : body;
      assert.ok(data.equals(readFileSync(join(dir, name))), name);
      // 1980-01-01 00:00:00 as a DOS date and time.
      assert.deepEqual([time, date], [0, (1 << 5) | 1], `${name}: fixed time`);
      entries.push([name, method]);
      off += 30 + nlen + xlen + size;
    }
    assert.deepEqual(entries, [["b.bin", 0], ["manifest.json", 8], ["pkg/a.js", 8]]);
    // The central directory follows the entries, and the end record counts them.
    assert.equal(one.readUInt32LE(off), 0x02014b50, "central directory after the entries");
    assert.equal(one.readUInt16LE(one.length - 22 + 10), 3, "three entries in the end record");
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("stripLineComments: whole-line comments go, code (and comments inside it) stays", () => {
  const src = [
    "// @ts-check",
    "/** A JSDoc block",
    " * over lines. */",
    "const url = \"https://example.com/a\"; // a trailing comment stays with its code",
    "  // an indented comment",
    "/* one line */",
    "/* a */ const x = 1; /* b */",
    "/* opens",
    "   and closes */ const y = 2;",
    "const re = /\\/\\//;",
  ].join("\n");
  assert.equal(
    stripLineComments(src),
    [
      "const url = \"https://example.com/a\"; // a trailing comment stays with its code",
      "/* a */ const x = 1; /* b */",
      "   and closes */ const y = 2;",
      "const re = /\\/\\//;",
    ].join("\n"),
  );
});

// The built extension ships its scripts without their whole-line comments; each must still
// parse (node --check), or the browsers would refuse it.
test("the built scripts have no comment lines and still parse", { skip: process.env.RUNBOOK_LENS_EXT_DIR ? false : "no RUNBOOK_LENS_EXT_DIR" }, () => {
  const dir = process.env.RUNBOOK_LENS_EXT_DIR;
  const tmp = mkdtempSync(join(tmpdir(), "rl-strip-"));
  try {
    for (const f of ["panel.js", "content.js", "background.js", "options.js", "lib/protocol.js", "lib/pd-page.js", "pkg/runbook_lens.js"]) {
      const text = readFileSync(join(dir, f), "utf8");
      assert.ok(!text.split("\n").some((l) => l.trim().startsWith("//")), `${f} keeps a comment line`);
      const copy = join(tmp, f.replaceAll("/", "_") + ".mjs");
      writeFileSync(copy, text);
      const r = spawnSync(process.execPath, ["--check", copy], { encoding: "utf8" });
      assert.equal(r.status, 0, `${f} does not parse once stripped: ${r.stderr}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
