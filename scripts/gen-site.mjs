// `./build.sh bench`: writes a synthetic runbook site of N pages (default 10,000) into
// target/bench/site-10k/, derived from the shared corpus (test data: it is written under
// target/, never into the project's sources, and nothing of it is committed).
//
// The corpus pages are taken in order (sorted by path) and cycled: copy 0 is the corpus as it
// is (so the benchmark's incident pages still find their real runbooks in it), copy k ≥ 1 of a
// page renames what identifies its alert with the suffix `_<name>` (alpha, bravo, …: matching ignores numbers): the front matter's title,
// runbook-name, description and service, the Example Alert's identifiers (alert, alertname,
// alert_situation, alert_key, everywhere in the page, and the situation of a PagerDuty title
// `#<n> <cname>.<service>.<carrier>.<situation>.<region>`), its service lines, its file name
// and its folder (`<name>/`; copy 0 is in `original/`). The prose stays as it is, so the sizes are those of real pages,
// while every page is a runbook of its own for its own alerts, so matching stays meaningful.
// Deterministic: the same corpus gives the same site, byte for byte.
//
//   node scripts/gen-site.mjs [--corpus ../shared/corpus/armada/runbooks] [--out target/bench/site-10k] [--pages 10000]
//
// Without the corpus it writes nothing, removes an old site, prints why and exits 0 (the
// benchmark then reports the 10,000-page rows as skipped).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { BENCH_DIR, ROOT, arg } from "./bench-lib.mjs";

const CORPUS = resolve(arg("corpus", process.env.RUNBOOK_LENS_CORPUS ? join(process.env.RUNBOOK_LENS_CORPUS, "runbooks") : join(ROOT, "..", "shared", "corpus", "armada", "runbooks")));
const OUT = resolve(arg("out", join(BENCH_DIR, "site-10k")));
const PAGES = Number(arg("pages", "10000"));

/** The alert fields whose values name the alert: renamed wherever they occur in the page. */
const ID_FIELDS = /^\s*(?:[-*]\s*)?`?(alert|alertname|alert_situation|alert_key|alert_name)`?\s*(?:=|:)\s*["'`]?([A-Za-z0-9_./:-]{4,})/gm;
/** A PagerDuty title: `#<n> <cname>.<servicename>.<carrier>.<situation>.<region>`. */
const PD_TITLE = /#\d+ [\w-]+\.[\w-]+\.[\w-]+\.([\w-]{4,})\.[\w-]+/g;
/** An Example Alert section: its heading up to the next heading of its level or above. */
const EXAMPLE_SECTION = /^#{2,3} Example[^\n]*\n[\s\S]*?(?=^#{1,3} |(?![\s\S]))/gim;
/** Identifier-like words (CamelCase with two humps, snake_case, dotted names), not field keys (`key =`, `key:`). */
const ID_WORD = /(?<![\w.\/-])(?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+)(?![\w\/-]|\.\w|\s*=|:)/g;
/** The Example Alert's service lines (`- service = x`, `service_name: x`): suffixed in place. */
const SERVICE_LINE = /^(\s*(?:[-*]\s*)?`?(?:service|service_name)`?\s*=\s*["'`]?)([A-Za-z0-9_./-]+)/gm;

/** Every `.md` file under `dir`, as paths relative to it, sorted (so the order is stable). */
function markdownFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".md")) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Appends the copy's tag to a front-matter value, inside its quotes if quoted. */
function suffixValue(value, tag) {
  const v = value.trimEnd();
  const q = /^(["'])(.*)\1$/.exec(v);
  return q ? `${q[1]}${q[2]} ${tag}${q[1]}` : `${v} ${tag}`;
}

/**
 * The name of copy `k` (≥ 1): words, not numbers, because matching ignores the numbers in an
 * alert's names (`_v3` and `_v4` would be the same alert): alpha, bravo, …, zulu, alphaalpha, …
 */
export function copyName(k) {
  const NATO = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu"];
  let name = "";
  for (let n = k - 1; ; n = Math.floor(n / NATO.length) - 1) {
    name = NATO[n % NATO.length] + name;
    if (n < NATO.length) return name;
  }
}

/** Copy `k` (≥ 1) of a page's text: its alert renamed with `_<copy name>`, its prose kept. */
export function variant(text, k) {
  const name = copyName(k);
  const suffix = `_${name}`;
  // The identifiers this page's alerts carry.
  const ids = new Set();
  for (const m of text.matchAll(ID_FIELDS)) ids.add(m[2].replace(/[.:/]+$/, ""));
  for (const m of text.matchAll(PD_TITLE)) ids.add(m[1]);
  // A page whose Example Alert has neither alert fields nor a PagerDuty title shows its names
  // in other forms (a bare `AlertName`, a Sysdig metric, a synthetic check's name): its
  // CamelCase and snake_case words and dotted names. (Not on the other pages: there such words
  // are values like `operation = DeleteClientID`, which scenarios are chosen by.)
  if (ids.size === 0) for (const section of text.matchAll(EXAMPLE_SECTION)) {
    for (const m of section[0].matchAll(ID_WORD)) if (!/^(https?|www)\b/.test(m[0])) ids.add(m[0]);
  }
  let out = text;
  const tokens = [...ids].filter((t) => t.length >= 4).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (tokens.length) {
    // One pass, longest first, whole identifiers only (not inside a longer one).
    const re = new RegExp(`(?<![A-Za-z0-9_-])(${tokens.map(escapeRe).join("|")})(?![A-Za-z0-9_-])`, "g");
    out = out.replace(re, `$1${suffix}`);
  }
  out = out.replace(SERVICE_LINE, (_, head, name) => (name.endsWith(suffix) ? head + name : `${head}${name}${suffix}`));
  // The front matter: the names a page is listed and searched by.
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(out);
  if (fm) {
    const head = fm[1].replace(/^(title|runbook-name|description|service):[ \t]*(.+)$/gm, (_, key, value) =>
      key === "service" ? `${key}: ${suffixValue(value, suffix).replace(` ${suffix}`, suffix)}` : `${key}: ${suffixValue(value, `(${name})`)}`,
    ).replace(/^(link:[ \t]*\S*?)(\.html)?[ \t]*$/m, (_, link, ext) => `${link.endsWith(suffix) ? link : link + suffix}${ext ?? ""}`);
    out = `---\n${head}\n---\n` + out.slice(fm[0].length);
  }
  return out;
}

/** Where copy `k` of the page at `path` is written. */
function variantPath(path, k) {
  return k === 0 ? join("original", path) : join(copyName(k), path.replace(/\.md$/, `_${copyName(k)}.md`));
}

function main() {
  rmSync(OUT, { recursive: true, force: true });
  if (!existsSync(CORPUS)) {
    console.log(`gen-site: skipped: corpus absent (${CORPUS})`);
    return;
  }
  const t0 = performance.now();
  const files = markdownFiles(CORPUS);
  const texts = files.map((f) => readFileSync(join(CORPUS, f), "utf8"));
  let bytes = 0;
  const dirs = new Set();
  for (let n = 0; n < PAGES; n++) {
    const i = n % files.length;
    const k = Math.floor(n / files.length);
    const path = join(OUT, variantPath(files[i], k));
    const text = k === 0 ? texts[i] : variant(texts[i], k);
    const dir = dirname(path);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(`gen-site: wrote ${PAGES} pages (${(bytes / 1024 / 1024).toFixed(1)} MB, from ${files.length} corpus pages) to ${relative(ROOT, OUT)} in ${secs.toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
