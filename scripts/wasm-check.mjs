// Compiles a .wasm file in node's V8 (the engine Chromium uses) and lists its
// exports. Used by `./build.sh test` after wasm-opt: if wasm-opt was given a
// feature the browser can't run, compilation fails here instead of in the
// extension. It only compiles the module; nothing is instantiated or run.
//
// usage: node scripts/wasm-check.mjs path/to/module.wasm...
import { readFileSync } from "node:fs";

const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: node scripts/wasm-check.mjs <file.wasm>...");
  process.exit(2);
}
for (const file of files) {
  const bytes = readFileSync(file);
  let mod;
  try {
    mod = await WebAssembly.compile(bytes);
  } catch (e) {
    console.error(`wasm check: ${file} does not compile in V8 (node ${process.version}): ${e.message}`);
    process.exit(1);
  }
  const exports = WebAssembly.Module.exports(mod);
  const imports = WebAssembly.Module.imports(mod);
  console.log(`wasm check: ${file} compiles in V8 (node ${process.version}); ` +
    `${exports.length} exports, ${imports.length} imports`);
  const fns = exports.filter((e) => e.kind === "function" && !e.name.startsWith("__")).map((e) => e.name);
  if (fns.length) console.log(`  exported functions: ${fns.join(", ")}`);
}
