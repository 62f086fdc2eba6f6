#!/usr/bin/env bash
# Build driver for Runbook Lens.
#
#   ./build.sh [all]   setup, CLI, wasm, extension (dist/chrome, dist/firefox + zips), demo
#   ./build.sh setup   idempotent install of every tool the build and tests need (scripts/setup.sh)
#   ./build.sh cli     cargo build --release --bin runbook-lens
#   ./build.sh wasm    lib -> wasm32 -> wasm-bindgen (web) -> wasm-opt, into dist/pkg
#   ./build.sh test    setup, then every test group below; every step runs, the end lists them
#   ./build.sh test rust       cargo test (formatting included) and clippy; no setup, no browser
#   ./build.sh test wasm       wasm-bindgen-test in Chromium, the wasm build, V8 compile check
#   ./build.sh test extension  extension unit and Chromium tests, web-ext lint, Firefox ESR tests
#   ./build.sh extension  assemble dist/{chrome,firefox} + dist/runbook-lens-{chrome,firefox}.zip
#   ./build.sh demo    dist/demo.png: the extension in headless Chromium on a demo incident
#   ./build.sh bench   one table of figures and budgets (native, wasm, browser) -> docs/bench.md
#   ./build.sh fuzz [s] cargo-fuzz on the parsers, packs and settings, s seconds each (default 60)
#   ./build.sh help
#
# CI runs `bash .ci/run`, which execs `./build.sh test` on a clean clone of a
# fresh machine (no stdin, CI=true): so everything the build needs must be
# installed from here, never by hand. Under CI a skipped test fails the run.
set -euo pipefail

# Run from anywhere: every path below is relative to the repo root.
cd "$(dirname "${BASH_SOURCE[0]}")"

# Tool locations and versions (WASM_TARGET, WASM_OPT, CHROMIUM, FIREFOX, ...), the helpers
# log/info/die/step/have, and cmd_setup. Sourcing it runs nothing; it sets ROOT.
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

# ---------------------------------------------------------------- settings --

CRATE_LIB=runbook_lens                # lib name as rustc writes it (dash -> underscore)
PKG_DIR=dist/pkg                      # wasm-bindgen output, consumed by the extension
EXT_DIR=extension                     # extension sources
EXT_BROWSER=chrome                    # the browser the extension is assembled for
EXT_OUT=dist/$EXT_BROWSER             # assembled, loadable (unpacked) extension
EXT_ZIP=dist/runbook-lens-$EXT_BROWSER.zip   # the same, zipped for the store
FX_OUT=dist/firefox                   # the Firefox build: same sources, manifest via transformManifest()
FX_ZIP=dist/runbook-lens-firefox.zip  # the same, zipped (for about:debugging or addons.mozilla.org)
# The shared runbook corpus: test data outside the repository (tests/it/corpus.rs).
CORPUS="${RUNBOOK_LENS_CORPUS:-$ROOT/../shared/corpus/armada}"

# wasm features rustc (>= 1.82, LLVM "generic" CPU) turns on by default for
# wasm32-unknown-unknown. binaryen's default feature set is smaller, so
# wasm-opt must be told or it rejects the module (seen with rustc 1.95 +
# binaryen 132: memory.copy needs bulk-memory, i32.trunc_sat needs
# nontrapping-float-to-int). Listing rustc's set explicitly (instead of -all)
# keeps wasm-opt from introducing features rustc didn't ask for (GC, EH, ...).
WASM_OPT_FEATURES=(
  --enable-bulk-memory
  --enable-bulk-memory-opt
  --enable-call-indirect-overlong
  --enable-nontrapping-float-to-int
  --enable-sign-ext
  --enable-mutable-globals
  --enable-reference-types
  --enable-multivalue
)

# ------------------------------------------------------------------- build --

cmd_cli() {
  cargo build --release --bin runbook-lens
  info "built target/release/runbook-lens"
}

# One wasm package into $PKG_DIR: `wasm_package <out-name> [cargo flags...]`. The
# library built is $CRATE_LIB unless WASM_LIB names another (a workspace member's, with `-p`).
wasm_package() {
  local name="$1"; shift
  local raw="target/$WASM_TARGET/wasm/${WASM_LIB:-$CRATE_LIB}.wasm"
  local out="$PKG_DIR/${name}_bg.wasm"
  # The `wasm` profile (Cargo.toml) is tuned for size and keeps the custom
  # sections wasm-bindgen reads; wasm-opt strips them afterwards.
  cargo build --lib --profile wasm --target "$WASM_TARGET" "$@"
  info "cargo output for $name: $raw ($(stat -c %s "$raw") bytes)"
  wasm-bindgen --target web --out-dir "$PKG_DIR" --out-name "$name" "$raw"
  # -Oz: the extension ships this file; size matters more than speed.
  # --flatten --rereloop first, then -Oz twice: binaryen rebuilds the control
  # flow of every function and shrinks the result again (-2.0 KB gzip on the
  # panel; callgrind counts the same instructions for explain in V8, -1 %).
  # --low-memory-unused (-1.4 KB gzip) lets it fold `p + constant` into a
  # load's or store's offset; that only differs when `p + constant` wraps
  # around into the first KB of memory, which Rust's wasm never addresses
  # (rustc links the stack first: it grows down from 1 MiB, data lies above).
  # (Without -g wasm-opt drops the name section; also drop the other
  # informational custom sections.)
  "$WASM_OPT" "${WASM_OPT_FEATURES[@]}" --low-memory-unused \
    --flatten --rereloop -Oz -Oz \
    --strip-debug --strip-producers --strip-target-features \
    -o "$out" "$out"
  local size gz
  size=$(stat -c %s "$out")
  gz=$(gzip -9 -c "$out" | wc -c)
  info "$out: $size bytes raw, $gz bytes gzip -9"
}

cmd_wasm() {
  [[ -x "$WASM_OPT" ]] || die "$WASM_OPT missing: run './build.sh setup'"
  have wasm-bindgen || die "wasm-bindgen missing: run './build.sh setup'"
  # Fresh output dir so files of renamed/removed exports don't linger.
  rm -rf "$PKG_DIR"
  # The panel (runbook_lens): --no-default-features, so the markdown/YAML parsers
  # (feature `markdown`) stay out of the wasm every incident page loads; it reads
  # packs already parsed.
  wasm_package "$CRATE_LIB" --no-default-features
  # The options page (runbook_lens_options): with the parsers, to import folders of
  # markdown pages. Loaded only when the user opens the settings.
  wasm_package "${CRATE_LIB}_options"
  # The panel's rules module (runbook_lens_rules): the regex engine for extraction rules,
  # which the panel's page loads only when there are rules (crates/rules; it would not fit
  # the panel's payload budget).
  WASM_LIB=runbook_lens_rules wasm_package "${CRATE_LIB}_rules" -p runbook-lens-rules --features module
  # The glue is an ES module; say so, so node-based tests can import it
  # without node's "reparsing as ES module" warning.
  printf '{ "type": "module" }\n' > "$PKG_DIR/package.json"
}

# Compile the optimized module in node's V8 (same engine as Chromium): catches
# a wasm-opt feature flag that produced something the browser won't accept.
# Only compiles, never runs: start functions may need a DOM.
wasm_smoke() {
  node scripts/wasm-check.mjs "$PKG_DIR/${CRATE_LIB}_bg.wasm" "$PKG_DIR/${CRATE_LIB}_options_bg.wasm" "$PKG_DIR/${CRATE_LIB}_rules_bg.wasm"
}

# Assemble the loadable extension in dist/chrome and its zip. The browser-specific
# manifest changes live in one place: transformManifest() in scripts/build-extension.mjs.
cmd_extension() {
  [[ -f "$PKG_DIR/${CRATE_LIB}.js" && -f "$PKG_DIR/${CRATE_LIB}_bg.wasm" ]] \
    || die "$PKG_DIR has no wasm package: run './build.sh wasm' first"
  node scripts/build-extension.mjs --browser "$EXT_BROWSER" \
    --pkg "$PKG_DIR" --out "$EXT_OUT" --zip "$EXT_ZIP"
  info "load it unpacked from $EXT_OUT (chrome://extensions, Developer mode, Load unpacked)"
  node scripts/build-extension.mjs --browser firefox \
    --pkg "$PKG_DIR" --out "$FX_OUT" --zip "$FX_ZIP"
  info "in Firefox: about:debugging, This Firefox, Load Temporary Add-on, pick $FX_ZIP"
}

# The demo: the built extension in headless Chromium on a bundled incident page
# (https://demo.pagerduty.com/incidents/Q3DEMO1ABC, served on loopback) -> dist/demo.png.
cmd_demo() {
  if [[ ! -x "$CHROMIUM" ]]; then
    log "demo SKIPPED: no Chromium at $CHROMIUM (apt-get install chromium); dist/demo.png not written"
    return 0
  fi
  [[ -f "$EXT_OUT/manifest.json" ]] || die "no built extension in $EXT_OUT: run './build.sh' first"
  RUNBOOK_LENS_EXT_DIR="$ROOT/$EXT_OUT" node "$EXT_DIR/demo.mjs" --ext "$ROOT/$EXT_OUT" --out "$ROOT/dist/demo.png"
}

cmd_all() {
  cmd_setup
  step "build: CLI (release)" cmd_cli
  step "build: wasm (dist/pkg)" cmd_wasm
  step "build: extension ($EXT_OUT, $FX_OUT, zips)" cmd_extension
  step "build: demo (dist/demo.png)" cmd_demo
  log "build done"
}


# -------------------------------------------------------------------- test --

# Every test step runs, whatever failed before it; each one's outcome is recorded and the
# summary at the end lists them. A step exits 0 (passed), SKIPPED_RC (it ran what it could
# and printed what it skipped: passes outside CI, fails under CI) or anything else (failed).
SKIPPED_RC=77
TEST_RESULTS=()

test_step() {
  local name="$1"; shift
  local t0=$SECONDS rc=0 status
  log "$name"
  # A subshell with errexit of its own, not in a condition: inside `if f` or `f || x` bash
  # switches errexit off, and a failing command in the middle of a step would go unnoticed.
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  case "$rc" in
    0) status="ok" ;;
    "$SKIPPED_RC") status="SKIPPED" ;;
    *) status="FAILED" ;;
  esac
  info "($name: $status, $((SECONDS - t0))s)"
  TEST_RESULTS+=("$status|$name")
}

# Records a check that did not run at all, with the reason.
test_skipped() {
  log "$1"
  info "SKIPPED: $2"
  TEST_RESULTS+=("SKIPPED|$1: $2")
}

# Prints every step's outcome; fails when a step failed, or under CI when one skipped.
test_summary() {
  local r failed=0 skipped=0
  log "test summary"
  for r in "${TEST_RESULTS[@]}"; do
    printf '    %-8s %s\n' "${r%%|*}" "${r#*|}"
    case "${r%%|*}" in
      FAILED) failed=$((failed + 1)) ;;
      SKIPPED) skipped=$((skipped + 1)) ;;
    esac
  done
  (( failed == 0 )) || die "$failed of ${#TEST_RESULTS[@]} test steps FAILED (listed above)"
  if (( skipped > 0 )); then
    [[ "${CI:-}" != "true" ]] \
      || die "$skipped of ${#TEST_RESULTS[@]} test steps SKIPPED something; under CI every test must run (listed above)"
    log "every test that ran passed; $skipped of ${#TEST_RESULTS[@]} test steps SKIPPED something (listed above)"
  else
    log "all tests passed"
  fi
}

# Debug profile on purpose: it builds fastest on 2 cores and keeps debug assertions on.
# Set RUNBOOK_LENS_TEST_RELEASE=1 to run the tests in release. --lib --bins --tests: not
# the benchmark, which measures nothing in a debug build. --no-fail-fast: every failing
# test in one run. The corpus tests are #[ignore]d (tests/it/corpus.rs): included when the
# corpus is there, and always under CI, where a missing corpus fails them.
rust_tests() {
  local rel=() ignored=()
  [[ "${RUNBOOK_LENS_TEST_RELEASE:-}" == 1 ]] && rel=(--release)
  if [[ -d "$CORPUS" || "${CI:-}" == "true" ]]; then
    ignored=(--include-ignored)
  fi
  RUNBOOK_LENS_CORPUS="$CORPUS" \
    cargo test --workspace --lib --bins --tests --no-fail-fast "${rel[@]}" -- "${ignored[@]}"
}

# --all-targets leaves out the benchmark (`bench = false` in Cargo.toml keeps it out of
# every selection but its own name), so it is checked by name.
clippy_host() {
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy --bench engine -- -D warnings
}

# The wasm32-only code (wasm-bindgen exports) is invisible to the host clippy run; it
# needs the wasm32 target, which only setup installs.
clippy_wasm32() {
  if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    info "SKIPPED: no rust target $WASM_TARGET (scripts/setup.sh installs it)"
    return "$SKIPPED_RC"
  fi
  cargo clippy --lib --test web --target "$WASM_TARGET" --no-default-features -- -D warnings
  # With markdown: the options page's wasm.
  cargo clippy --lib --target "$WASM_TARGET" -- -D warnings
  # The panel's rules module (crates/rules with its wasm export).
  cargo clippy -p runbook-lens-rules --lib --target "$WASM_TARGET" --features module -- -D warnings
}

test_rust() {
  test_step "test: cargo test (lib, CLI, tests/it; formatting checked by tests/it/style.rs)" \
    rust_tests
  if [[ ! -d "$CORPUS" && "${CI:-}" != "true" ]]; then
    test_skipped "test: corpus tests (tests/it/corpus.rs)" \
      "no corpus at $CORPUS (set RUNBOOK_LENS_CORPUS)"
  fi
  test_step "test: cargo clippy -D warnings (all targets and the benchmark)" clippy_host
  test_step "test: cargo clippy -D warnings (without the markdown feature)" \
    cargo clippy --lib --no-default-features -- -D warnings
  test_step "test: cargo clippy -D warnings (wasm32: panel and options page)" clippy_wasm32
}

test_wasm() {
  # The panel's Rust rendering, in headless Chromium through wasm-bindgen-test-runner
  # (.cargo/config.toml sets the runner; webdriver.json passes Chromium its flags).
  test_step "test: wasm-bindgen-test (tests/web.rs in Chromium)" \
    env CHROMEDRIVER="$CHROMEDRIVER" \
    cargo test --target "$WASM_TARGET" --no-default-features --test web
  test_step "test: wasm build" cmd_wasm
  test_step "test: wasm module compiles in V8" wasm_smoke
}

# The extension's suites run through extension/tests/run.mjs: one file at a time, a spec
# report for the log and a count of every skipped test and suite (node's own summary counts
# a skipped `describe` as zero skipped tests). It exits SKIPPED_RC when the files passed but
# something was skipped, and fails under CI=true on any skip.
# The extension's tests: unit tests (URL predicate, text helpers, pack codec), then the
# browser tests (extraction in Chromium; the built extension end to end against HTTPS
# fixture pages at PagerDuty host names). They get CHROMIUM_PATH, the built extension's
# directory, the CLI binary just built (RUNBOOK_LENS_CLI) and the corpus location
# (RUNBOOK_LENS_CORPUS) in the environment.
browser_tests() {
  cmd_extension
  cargo build --bin runbook-lens
  export RUNBOOK_LENS_PKG_DIR="$ROOT/$PKG_DIR" RUNBOOK_LENS_EXT_DIR="$ROOT/$EXT_OUT" \
    RUNBOOK_LENS_CLI="$ROOT/target/debug/runbook-lens" RUNBOOK_LENS_CORPUS="$CORPUS" \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  node "$EXT_DIR/tests/run.mjs"
}

# The Firefox build in headless Firefox ESR through geckodriver (extension/tests/firefox;
# browser_tests has just built dist/firefox and its zip).
firefox_tests() {
  RUNBOOK_LENS_FIREFOX_DIR="$ROOT/$FX_OUT" RUNBOOK_LENS_FIREFOX_ZIP="$ROOT/$FX_ZIP" \
    FIREFOX_PATH="$FIREFOX" MOZ_HEADLESS=1 \
    node "$EXT_DIR/tests/run.mjs" firefox
}

test_extension() {
  test_step "test: extension unit + browser tests ($EXT_DIR/tests/unit, e2e)" browser_tests
  test_step "test: web-ext lint ($FX_OUT)" node scripts/lint-firefox.mjs "$FX_OUT"
  test_step "test: extension in Firefox ESR ($EXT_DIR/tests/firefox)" firefox_tests
}

# `./build.sh test [group]`: every group after setup, or one group without setup.
cmd_test() {
  case "${1:-all}" in
    all)
      cmd_setup
      test_rust
      test_wasm
      test_extension
      ;;
    rust) test_rust ;;
    wasm) test_wasm ;;
    extension) test_extension ;;
    *) cmd_help >&2; die "unknown test group: $1 (rust, wasm or extension)" ;;
  esac
  test_summary
}

# ------------------------------------------------------------------- fuzz --

# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets this stable
# toolchain accept them (the only toolchain this machine can have). Not part of
# `test`: the randomised tests in tests/it/randomised.rs cover CI.
cmd_fuzz() {
  local seconds="$1"
  if ! cargo fuzz --version >/dev/null 2>&1; then
    step "fuzz: install cargo-fuzz" cargo install cargo-fuzz
  fi
  # Each target for the given time: `parse` (page text, runbooks, packs as raw bytes) and
  # `packs_settings` (settings files, and the built-in pack with the input spliced in).
  local target
  for target in parse packs_settings; do
    step "fuzz: $target target for ${seconds}s" \
      env RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$seconds"
  done
}

# ------------------------------------------------------------------- bench --

# One table of every figure, its budget and whether it is met (scripts/bench-table.mjs),
# from three parts that write to target/bench/:
#   native   cargo bench --bench engine: corpus parse, explain per alert at 100 and 1,000
#            runbooks; it also writes the packs and queries the other two parts reuse
#   wasm     scripts/bench-wasm.mjs: the same packs and queries with dist/pkg in node's V8
#   browser  scripts/bench-browser.mjs: the built extension in headless Chromium: panel
#            payload, alert-to-guidance time (cold and SPA), panel memory
#   packs    issue 11: the built-in pack, the corpus and a 10,000-page site (scripts/gen-site.mjs)
#            packed by the CLI (scripts/bench-packs.mjs), loaded natively (cargo bench) and in
#            Chromium (scripts/bench-browser-packs.mjs: imports, direct open, SPA, memory)
# Without the corpus ($CORPUS) the corpus rows say "skipped: no corpus". A missed budget is
# printed as NOT MET and does not fail the command; a part that crashes does (after the
# table is printed with what was measured).
BENCH_OUT=target/bench

bench_part() {
  local name="$1"; shift
  log "bench: $name"
  local rc=0
  "$@" || rc=$?
  if (( rc != 0 )); then
    info "bench: $name FAILED (exit status $rc)"
    BENCH_FAILED+=("$name")
  fi
}

cmd_bench() {
  cmd_setup
  step "build: wasm (dist/pkg)" cmd_wasm
  step "build: extension ($EXT_OUT)" cmd_extension
  mkdir -p "$BENCH_OUT"
  # Nothing of an earlier run may stand in for this one: without the corpus, cargo bench
  # writes no packs, and the other parts must say so rather than measure stale ones.
  rm -f "$BENCH_OUT"/{native.txt,wasm.json,browser.json,pack-100.json,pack-1000.json,pack-corpus.json,queries.json}
  rm -f "$BENCH_OUT"/{packs.json,browser-packs.json,cli-packs.json} "$BENCH_OUT"/spa-trace-*.json
  BENCH_FAILED=()
  # Issue 11's three packs: the 10,000-page site (skipped without the corpus), then each pack
  # made by the release CLI (the native part and browser-packs read them).
  step "build: CLI (release)" cmd_cli
  bench_part "site (scripts/gen-site.mjs)" env RUNBOOK_LENS_CORPUS="$CORPUS" node scripts/gen-site.mjs
  bench_part "packs (scripts/bench-packs.mjs)" \
    env RUNBOOK_LENS_CORPUS="$CORPUS" node scripts/bench-packs.mjs --dir "$BENCH_OUT" --json "$BENCH_OUT/packs.json"
  # The native rows go to a file (bench-table.mjs reads them back); cargo's own progress stays on stderr.
  bench_part "native (cargo bench --bench engine)" \
    env RUNBOOK_LENS_CORPUS="$CORPUS" \
    bash -c 'set -o pipefail; cargo bench --bench engine > "$1"' _ "$BENCH_OUT/native.txt"
  bench_part "wasm (scripts/bench-wasm.mjs)" \
    node scripts/bench-wasm.mjs --pkg "$PKG_DIR" --dir "$BENCH_OUT" --json "$BENCH_OUT/wasm.json"
  bench_part "browser (scripts/bench-browser.mjs)" \
    env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node scripts/bench-browser.mjs --ext "$EXT_OUT" --dir "$BENCH_OUT" --json "$BENCH_OUT/browser.json"
  bench_part "browser, three packs (scripts/bench-browser-packs.mjs)" \
    env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node scripts/bench-browser-packs.mjs --ext "$EXT_OUT" --dir "$BENCH_OUT" --json "$BENCH_OUT/browser-packs.json"
  # The table, and the same table dated in docs/bench.md (review its diff before committing).
  node scripts/bench-table.mjs --dir "$BENCH_OUT" --markdown docs/bench.md
  (( ${#BENCH_FAILED[@]} == 0 )) || die "benchmark part(s) failed: ${BENCH_FAILED[*]} (their rows say 'not run')"
}


cmd_help() {
  sed -n '2,16p' "$ROOT/build.sh" | sed 's/^# \{0,1\}//'
  cat <<EOF

Environment:
  CI=true                     no colors, no incremental compilation; a skipped test fails
  RUNBOOK_LENS_TEST_RELEASE=1 run 'cargo test' with --release
  RUNBOOK_LENS_CORPUS=DIR     the shared corpus (default ../shared/corpus/armada)
EOF
}

# -------------------------------------------------------------------- main --

t_start=$SECONDS
case "${1:-all}" in
  all)              cmd_all ;;
  setup)            cmd_setup ;;
  cli)              step "build: CLI (release)" cmd_cli ;;
  wasm)             step "build: wasm (dist/pkg)" cmd_wasm ;;
  extension)        step "build: extension ($EXT_OUT, $FX_OUT)" cmd_extension ;;
  demo)             step "build: demo (dist/demo.png)" cmd_demo ;;
  test)             cmd_test "${2:-all}" ;;
  bench)            cmd_bench ;;
  fuzz)             cmd_fuzz "${2:-60}" ;;
  help|-h|--help)   cmd_help; exit 0 ;;
  *)                cmd_help >&2; die "unknown command: $1" ;;
esac
info "(total: $((SECONDS - t_start))s)"
