// A node:test reporter for extension/tests/run.mjs: writes one JSON line per test or suite
// that did not run its assertions (skipped, or todo), for run.mjs to count and name. Node's
// own summary cannot be trusted for this: a skipped `describe` is reported as a suite, its
// tests are never enumerated, and the run ends with `skipped 0`.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const d = event.data;
    const kind = d.skip !== undefined ? "skipped" : d.todo !== undefined ? "todo" : null;
    if (kind === null) continue;
    const reason = kind === "skipped" ? d.skip : d.todo;
    yield JSON.stringify({
      kind,
      suite: d.details?.type === "suite",
      name: d.name,
      file: d.file ?? null,
      reason: typeof reason === "string" && reason !== "" ? reason : null,
    }) + "\n";
  }
}
