// Assembles the loadable extension for one browser and its zip:
//
//   node scripts/build-extension.mjs [--browser chrome|firefox] [--pkg dist/pkg]
//                                    [--out dist/<browser>] [--zip dist/runbook-lens-<browser>.zip]
//
// Copies extension/ (minus tests and the demo), the wasm-bindgen package (the
// glue JS, its snippets and the .wasm; not the .d.ts/package.json), writes the
// manifest through transformManifest() (the ONE place for browser-specific
// manifest changes), checks that every file the manifest names exists, and
// writes a deterministic zip (sorted entries, fixed timestamps) with yazl.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";
import yazl from "yazl";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "extension");

// Not part of the shipped extension.
const EXCLUDE = new Set(["tests", "demo.mjs", "demo.sh", "build.sh", "node_modules", "README.md", ".eslintrc.json"]);
const PKG_EXCLUDE = /(\.d\.ts|^package\.json|^\.gitignore|^README\.md)$/;
// Folders of extension/ that only one browser's build ships.
const BROWSER_ONLY = { firefox: "firefox" };

/** Firefox's background relay between a content script and its panel (see the file). */
export const FIREFOX_RELAY = "firefox/relay.js";

export const BROWSERS = ["chrome", "firefox"];

/**
 * Firefox's add-on ID. It must never change once the add-on is published: Firefox keys
 * the add-on's storage, its granted permissions and its updates on it. An e-mail-like ID
 * needs no registration (a real listing would use a domain the project controls).
 */
export const GECKO_ID = "runbook-lens@example.org";

/**
 * The oldest Firefox the Firefox build declares. Manifest V3 with background.scripts,
 * `'wasm-unsafe-eval'` in the extension-page CSP and web_accessible_resources with
 * `matches` works from Firefox 109; MV3 host permissions, which include the content
 * script's matches, are granted at install from Firefox 127 on
 * (`extensions.originControls.grantByDefault`; before it the panel would not appear on
 * PagerDuty until the user granted the site from the extensions menu); the built-in data
 * consent (`data_collection_permissions`, which addons-linter asks every new add-on for)
 * is read from Firefox 140 on. 140 is also the oldest ESR Debian still ships. The test
 * (extension/tests/firefox) runs Debian's current firefox-esr.
 */
export const GECKO_MIN_VERSION = "140.0";

/**
 * What the relay reads from other scripts, loaded before it in the background page:
 * lib/protocol.js sets `globalThis.RunbookLensProtocol` (the port names and origins).
 */
export const FIREFOX_RELAY_NEEDS = ["lib/protocol.js"];

/**
 * Firefox's `background.scripts` for the source's background: what the relay needs, the
 * relay, then the source's own scripts (its service worker, or its `scripts`) in their
 * order. A script is listed once, at its first place, so one the source lists too (such as
 * lib/protocol.js) still comes before the relay. As modules (`type: "module"`) the scripts
 * run in this order as well, and a module that one of them imports again runs only once.
 */
export function firefoxBackgroundScripts(background = {}) {
  const own = background.scripts || (background.service_worker ? [background.service_worker] : []);
  return [...new Set([...FIREFOX_RELAY_NEEDS, FIREFOX_RELAY, ...own])];
}

/**
 * The manifest for `browser`, from the one source manifest. Every browser-specific
 * difference lives here; the source manifest is Chrome's and is never changed in place.
 */
export function transformManifest(source, browser) {
  const m = structuredClone(source);
  switch (browser) {
    case "chrome":
      delete m.browser_specific_settings;
      return m;
    case "firefox": {
      // Firefox runs no extension service workers (the pref is off and locked even in
      // ESR 153): an MV3 background is an event page, `background.scripts`.
      // background.js (an ES module: the shortcut, opening the options page, downloading
      // pack URLs) keeps its state in storage, so it runs there unchanged, as a module
      // too (`type` is kept; the relay runs as a module then as well). Before it, the relay
      // and what the relay needs: Firefox gives the content script's port to the background
      // page and never to the panel's frame, so the background page passes the messages on
      // (panel.js looks for this script in the manifest).
      m.background = { scripts: firefoxBackgroundScripts(m.background) };
      if (source.background?.type) m.background.type = source.background.type;
      // Chrome's schema of the organisation's policy (storage.managed). Firefox has no such
      // key and warns about it ("An unexpected property was found"); it reads managed
      // storage from the policy the administrator writes (policies.json
      // `3rdparty.Extensions.<add-on id>`, or a native manifest) without a schema.
      if (m.storage) {
        delete m.storage.managed_schema;
        if (Object.keys(m.storage).length === 0) delete m.storage;
      }
      // Chrome-only key, which Firefox (and web-ext lint) would flag as unknown.
      delete m.minimum_chrome_version;
      m.browser_specific_settings = {
        gecko: {
          id: GECKO_ID,
          strict_min_version: GECKO_MIN_VERSION,
          // Firefox's built-in data consent: the extension collects and transmits
          // nothing (the engine runs locally; the panel makes no network requests).
          data_collection_permissions: { required: ["none"] },
        },
      };
      // Permissions stay exactly as in the source: no `host_permissions`. In Firefox
      // MV3 the content script's `matches` are themselves the host permissions (shown at
      // install, granted by default there since Firefox 127, revocable by the user), and
      // web_accessible_resources (the panel) and the CSP with 'wasm-unsafe-eval' are
      // supported as they are. Adding host_permissions would grant nothing more.
      return m;
    }
    default:
      throw new Error(`unknown browser '${browser}' (known: ${BROWSERS.join(", ")})`);
  }
}

/** Files (relative, '/'-separated) of dir, recursively, sorted. */
function listFiles(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, base));
    else out.push(relative(base, p).split(sep).join("/"));
  }
  return out;
}

/** Every path the manifest names must exist in the built extension. */
export function checkManifestFiles(manifest, dir) {
  const files = new Set(listFiles(dir));
  const named = [];
  for (const p of Object.values(manifest.icons || {})) named.push(p);
  if (manifest.background?.service_worker) named.push(manifest.background.service_worker);
  named.push(...(manifest.background?.scripts || []));
  if (manifest.storage?.managed_schema) named.push(manifest.storage.managed_schema);
  for (const cs of manifest.content_scripts || []) named.push(...(cs.js || []), ...(cs.css || []));
  const missing = named.filter((p) => !files.has(p));
  for (const war of manifest.web_accessible_resources || []) {
    for (const r of war.resources) {
      const re = new RegExp("^" + r.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
      if (![...files].some((f) => re.test(f))) missing.push(r);
    }
    for (const origin of war.matches || []) {
      if (!/^[a-z*]+:\/\/[^/]+\/\*$/.test(origin)) throw new Error(`web_accessible_resources match '${origin}' must be an origin pattern ending in /*`);
    }
  }
  if (missing.length) throw new Error(`manifest names files that are not in ${dir}: ${missing.join(", ")}`);
}

// ---------------------------------------------------------------- zip --

/**
 * A zip of `dir` (deflate at zlib's level 9, or stored when that is not smaller),
 * reproducible byte for byte: sorted entries, each dated 1980-01-01 00:00:00 as a plain DOS
 * time (no extended timestamp, which would be the UTC time of that local date and so
 * depend on the time zone), Unix mode -rw-r--r--. Resolves to a Buffer.
 */
export function zipDir(dir) {
  const zip = new yazl.ZipFile();
  for (const name of listFiles(dir)) {
    const data = readFileSync(join(dir, name));
    // Already compressed files (the PNG icons) would only grow: store those.
    const compress = deflateRawSync(data, { level: 9 }).length < data.length;
    // Made from local-time fields at each call: yazl reads those back, in any time zone.
    const mtime = new Date(1980, 0, 1, 0, 0, 0);
    zip.addBuffer(data, name, { mtime, mode: 0o100644, compressionLevel: compress ? 9 : 0, forceDosTimestamp: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks = [];
    zip.outputStream.on("data", (c) => chunks.push(c));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

// ------------------------------------------------------------ comments --

/**
 * `src` without its whole-line comments: lines that are only a `//` comment, and block
 * comments that start a line and end one (JSDoc). Code lines are kept as they are, so the
 * shipped scripts stay readable; only what the sources explain to their readers goes. The
 * panel's payload has a size budget, and the comments were a third of its scripts' gzip.
 */
export function stripLineComments(src) {
  const out = [];
  let inBlock = false;
  for (const line of src.split("\n")) {
    const t = line.trim();
    if (inBlock) {
      if (t.includes("*/")) {
        inBlock = false;
        // Code after the comment's end on the same line stays (with the comment's tail).
        if (!t.endsWith("*/")) out.push(line);
      }
      continue;
    }
    if (t.startsWith("/*")) {
      if (!t.includes("*/")) {
        inBlock = true;
        continue;
      }
      if (t.endsWith("*/") && t.indexOf("*/") === t.length - 2) continue;
    }
    if (t.startsWith("//")) continue;
    out.push(line);
  }
  return out.join("\n");
}

/** Rewrites every `.js` file under `dir` without its whole-line comments. */
function stripScripts(dir) {
  for (const file of listFiles(dir)) {
    if (!file.endsWith(".js")) continue;
    const path = join(dir, file);
    writeFileSync(path, stripLineComments(readFileSync(path, "utf8")));
  }
}

// --------------------------------------------------------------- build --

export async function build({ browser = "chrome", pkg, out, zip }) {
  pkg = resolve(pkg || join(ROOT, "dist", "pkg"));
  out = resolve(out || join(ROOT, "dist", browser));
  zip = zip === null ? null : resolve(zip || join(ROOT, "dist", `runbook-lens-${browser}.zip`));
  const glue = join(pkg, "runbook_lens.js");
  const wasm = join(pkg, "runbook_lens_bg.wasm");
  // The panel's rules module (extraction rules), loaded by panel.js only when there are rules.
  const rulesGlue = join(pkg, "runbook_lens_rules.js");
  const rulesWasm = join(pkg, "runbook_lens_rules_bg.wasm");
  for (const f of [glue, wasm, rulesGlue, rulesWasm]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run './build.sh wasm' first`);
  }
  const source = JSON.parse(readFileSync(join(SRC, "manifest.json"), "utf8"));

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(SRC)) {
    if (EXCLUDE.has(name) || name === "manifest.json") continue;
    if (Object.entries(BROWSER_ONLY).some(([b, dir]) => dir === name && b !== browser)) continue;
    cpSync(join(SRC, name), join(out, name), { recursive: true });
  }
  cpSync(pkg, join(out, "pkg"), { recursive: true, filter: (p) => !PKG_EXCLUDE.test(p.split(sep).pop()) });

  stripScripts(out);

  const manifest = transformManifest(source, browser);
  // A file only the source manifest names (Chrome's policy schema) is left out of a build
  // whose manifest no longer names it.
  const schema = source.storage?.managed_schema;
  if (schema && manifest.storage?.managed_schema !== schema) rmSync(join(out, schema), { force: true });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  checkManifestFiles(manifest, out);

  let zipInfo = "";
  if (zip) {
    mkdirSync(dirname(zip), { recursive: true });
    const bytes = await zipDir(out);
    writeFileSync(zip, bytes);
    const sha = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    zipInfo = `, ${relative(ROOT, zip)} (${bytes.length} bytes, sha256 ${sha}…)`;
  }
  const files = listFiles(out);
  console.log(`extension (${browser}): ${relative(ROOT, out)}/ with ${files.length} files${zipInfo}`);
  return { out, zip, files, manifest };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--browser") opts.browser = v();
    else if (a === "--pkg") opts.pkg = v();
    else if (a === "--out") opts.out = v();
    else if (a === "--zip") opts.zip = v();
    else if (a === "--no-zip") opts.zip = null;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build(parseArgs(process.argv.slice(2))).catch((e) => {
    console.error(`build-extension: ${e.message}`);
    process.exit(1);
  });
}
