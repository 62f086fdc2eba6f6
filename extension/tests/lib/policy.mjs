// Enterprise policy for the extension's storage.managed area in tests, on Linux Chromium.
// Debian's Chromium reads every JSON file in /etc/chromium/policies/managed/, and values
// under {"3rdparty": {"extensions": {<id>: {...}}}} become that extension's storage.managed.
// This works for an unpacked (--load-extension) extension with no extra flags; values not
// in managed_schema.json, or of the wrong type, are silently dropped.
// Timings measured with Chromium 156 headless: with the file in place before launch, the
// first chrome.storage.managed.get() waits until policy is loaded (about 2-3 s after
// launch) and then returns the values; a file written or changed while the browser runs is
// picked up about 5 s later (storage.onChanged fires). So write the file before launching.
// The directory is machine-wide: every Chromium started meanwhile sees the policy, so an
// extension copy in its own directory (own ID) keeps other runs unaffected.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const POLICY_DIR = "/etc/chromium/policies/managed";
const PREFIX = "runbook-lens-test-";

/**
 * The ID Chromium gives an unpacked extension loaded from `dir`: the first 32 hex digits of
 * sha256(real absolute path), each digit 0-f written as a letter a-p. Symlinks are resolved
 * first, as Chromium does, so the directory must exist.
 */
export function unpackedExtensionId(dir) {
  const hex = createHash("sha256").update(realpathSync(dir)).digest("hex").slice(0, 32);
  return [...hex].map((d) => String.fromCharCode(97 + parseInt(d, 16))).join("");
}

/**
 * Copies the extension in `dir` to a fresh temporary directory, so it gets an ID of its own.
 * Resolves to {dir, extensionId, remove()}.
 */
export function isolatedCopy(dir) {
  const parent = mkdtempSync(join(tmpdir(), "runbook-lens-ext-"));
  const copy = join(parent, "ext");
  cpSync(dir, copy, { recursive: true });
  return {
    dir: copy,
    extensionId: unpackedExtensionId(copy),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

// Files of ours left behind by a test process that was killed before its `finally` ran.
function removeStale() {
  let names = [];
  try {
    names = readdirSync(POLICY_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(PREFIX) && /^(\d+)\.json$/.exec(name.slice(PREFIX.length));
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) rmSync(join(POLICY_DIR, name), { force: true });
  }
}

/**
 * Writes `values` as the managed policy of `extensionId` into a file of our own in
 * POLICY_DIR, runs `await fn()` and always removes the file afterwards. Launch the browser
 * inside `fn`. Throws if the directory cannot be written (it needs root).
 */
export async function withPolicy(extensionId, values, fn) {
  const file = join(POLICY_DIR, `${PREFIX}${process.pid}.json`);
  const policy = { "3rdparty": { extensions: { [extensionId]: values } } };
  try {
    mkdirSync(POLICY_DIR, { recursive: true });
    removeStale();
    writeFileSync(file, JSON.stringify(policy, null, 2));
  } catch (e) {
    rmSync(file, { force: true });
    throw new Error(
      `cannot write Chromium policy file ${file} (${e.code || e.message}); ` +
        `setting storage.managed needs write access to ${POLICY_DIR}, normally root`,
    );
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Polls chrome.storage.managed.get(null) in `target` (a playwright Worker, Page or Frame of
 * the extension) until it returns something, and resolves to it. Throws after `timeoutMs`.
 */
export async function waitForManaged(target, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await target.evaluate(() => chrome.storage.managed.get(null).catch(() => ({})));
    if (got && Object.keys(got).length) return got;
    if (Date.now() > end) throw new Error(`storage.managed still empty after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
