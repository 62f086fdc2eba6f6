// A small W3C WebDriver client over fetch, for geckodriver: just what the Firefox tests
// need (one session, navigation, frames, elements, scripts, Firefox's add-on install).
// No selenium: geckodriver speaks plain HTTP + JSON on loopback.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FIREFOX = process.env.FIREFOX_PATH || "/usr/bin/firefox-esr";
export const GECKODRIVER = process.env.GECKODRIVER_PATH || findOnPath("geckodriver");

/** The W3C element reference key. */
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

function findOnPath(name) {
  const cargoBin = join(process.env.CARGO_HOME || join(process.env.HOME || "/root", ".cargo"), "bin");
  for (const dir of [...(process.env.PATH || "").split(":"), cargoBin]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Why the Firefox tests cannot run here, or false. */
export function firefoxMissing() {
  if (!existsSync(FIREFOX)) return `no Firefox at ${FIREFOX} (./build.sh setup installs Debian's firefox-esr)`;
  if (!GECKODRIVER) return "no geckodriver on PATH or in ~/.cargo/bin (./build.sh setup runs 'cargo install geckodriver')";
  return false;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} -> ${status} ${value?.error || ""}: ${String(value?.message || JSON.stringify(value)).slice(0, 500)}`);
    this.error = value?.error;
  }
}

/**
 * Starts geckodriver on a free loopback port; resolves to {url, log(), mark(), since(mark),
 * stop()}. Its output includes Firefox's stdout/stderr (what the browser's console prints,
 * with the devtools.console.stdout.* prefs); `mark()` and `since(mark)` read what came after a point.
 */
export async function startGeckodriver({ profileRoot }) {
  const port = await freePort();
  const wsPort = await freePort();
  let text = "";
  let dropped = 0; // characters dropped from the front (the log is bounded)
  const proc = spawn(
    GECKODRIVER,
    ["--host", "127.0.0.1", "--port", String(port), "--websocket-port", String(wsPort), "--profile-root", profileRoot, "--binary", FIREFOX],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let exited = null;
  proc.on("exit", (code, signal) => (exited = `geckodriver exited (${signal || code})`));
  for (const s of [proc.stdout, proc.stderr]) {
    s.setEncoding("utf8");
    s.on("data", (d) => {
      text += d;
      if (text.length > 8 << 20) {
        dropped += text.length - (4 << 20);
        text = text.slice(-(4 << 20));
      }
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 10000;
  for (;;) {
    if (exited) throw new Error(`${exited}: ${text.slice(-2000)}`);
    try {
      const r = await fetch(`${url}/status`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      proc.kill("SIGKILL");
      throw new Error(`geckodriver did not answer on ${url} within 10 s: ${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => text,
    mark: () => dropped + text.length,
    since: (mark) => text.slice(Math.max(0, mark - dropped)),
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
        proc.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}

export class Session {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  /** Creates a session on the geckodriver at `base` with `alwaysMatch` capabilities. */
  static async create(base, alwaysMatch) {
    const value = await command(base, "POST", "/session", { capabilities: { alwaysMatch } }, 60000);
    return new Session(base, value.sessionId, value.capabilities);
  }

  cmd(method, path, body, timeout) {
    return command(this.base, method, `/session/${this.id}${path}`, body, timeout);
  }

  delete() {
    return command(this.base, "DELETE", `/session/${this.id}`, undefined, 20000);
  }

  /**
   * Installs the add-on (a zip, or an unpacked directory) as a temporary add-on, as
   * about:debugging would: no signature needed, removed when the browser closes.
   * Resolves to the add-on ID.
   */
  installAddon(zipPath) {
    const addon = readFileSync(zipPath).toString("base64");
    return this.cmd("POST", "/moz/addon/install", { addon, temporary: true });
  }

  navigate(url) {
    return this.cmd("POST", "/url", { url });
  }

  url() {
    return this.cmd("GET", "/url");
  }

  /** Runs `fn` (a function or a function body string) in the current frame with `args`. */
  execute(fn, ...args) {
    const script = typeof fn === "function" ? `return (${fn}).apply(null, arguments);` : fn;
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  /** Switches to the top-level document. */
  top() {
    return this.cmd("POST", "/frame", { id: null });
  }

  /** Switches to the child frame with index `n` of the current frame (window.frames[n]). */
  frame(n) {
    return this.cmd("POST", "/frame", { id: n });
  }

  async findAll(css) {
    const list = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return list.map((e) => e[ELEMENT]);
  }

  text(el) {
    return this.cmd("GET", `/element/${el}/text`);
  }

  attribute(el, name) {
    return this.cmd("GET", `/element/${el}/attribute/${encodeURIComponent(name)}`);
  }

  click(el) {
    return this.cmd("POST", `/element/${el}/click`, {});
  }

  clear(el) {
    return this.cmd("POST", `/element/${el}/clear`, {});
  }

  sendKeys(el, text) {
    return this.cmd("POST", `/element/${el}/value`, { text });
  }

  /** Rendered texts of every element matching `css` in the current frame. */
  async texts(css) {
    const out = [];
    for (const el of await this.findAll(css)) out.push(await this.text(el));
    return out;
  }
}

async function command(base, method, path, body, timeout = 30000) {
  const r = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, r.status, { message: text });
  }
  if (!r.ok) throw new WebDriverError(method, path, r.status, json.value);
  return json.value;
}

/** A fresh temporary directory and a function removing it. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
