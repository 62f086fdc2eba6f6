#!/usr/bin/env bash
# Build driver for Runbook Lens.
#
#   ./build.sh [all]   setup, CLI, wasm, extension (dist/chrome, dist/firefox + zips), demo
#   ./build.sh setup   idempotent install of every tool the build and tests need
#   ./build.sh cli     cargo build --release --bin runbook-lens
#   ./build.sh wasm    lib -> wasm32 -> wasm-bindgen (web) -> wasm-opt, into dist/pkg
#   ./build.sh test    setup, cargo test, clippy, wasm build check, extension tests (Chromium, Firefox)
#   ./build.sh extension  assemble dist/{chrome,firefox} + dist/runbook-lens-{chrome,firefox}.zip
#   ./build.sh demo    dist/demo.png: the extension in headless Chromium on a demo incident
#   ./build.sh bench   one table of figures and budgets: native (cargo bench), wasm, browser
#   ./build.sh fuzz [s] cargo-fuzz on the parsers for s seconds (default 60)
#   ./build.sh help
#
# CI runs `bash .ci/run`, which execs `./build.sh test` on a clean clone of a
# fresh machine (no stdin, CI=true): so everything the build needs must be
# installed from here, never by hand.
set -euo pipefail

# Run from anywhere: every path below is relative to the repo root.
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT="$PWD"

# ---------------------------------------------------------------- settings --

# Tools installed by `cargo install` land here; make sure a non-login shell
# (CI, cron, IDE) still finds them.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

WASM_TARGET=wasm32-unknown-unknown
CRATE_LIB=runbook_lens                # lib name as rustc writes it (dash -> underscore)
PKG_DIR=dist/pkg                      # wasm-bindgen output, consumed by the extension
EXT_DIR=extension                     # extension sources
EXT_BROWSER=chrome                    # the browser the extension is assembled for
EXT_OUT=dist/$EXT_BROWSER             # assembled, loadable (unpacked) extension
EXT_ZIP=dist/runbook-lens-$EXT_BROWSER.zip   # the same, zipped for the store
FX_OUT=dist/firefox                   # the Firefox build: same sources, manifest via transformManifest()
FX_ZIP=dist/runbook-lens-firefox.zip  # the same, zipped (for about:debugging or addons.mozilla.org)
FIREFOX=/usr/bin/firefox-esr          # Debian's Firefox ESR, for the Firefox tests
GECKODRIVER_VERSION=0.37.1            # WebDriver for Firefox: `cargo install` (Debian has no package)
MIN_BINARYEN=120                      # Debian's binaryen 108 can't read rustc's wasm
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

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

# playwright-core is only a driver; it must never try to fetch its own
# browsers (no internet here anyway). Tests use Debian's $CHROMIUM.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="$CHROMIUM"

if [[ "${CI:-}" == "true" ]]; then
  # Logs, not a terminal: no escape codes. Clean clone: incremental
  # compilation would only cost time and disk.
  export CARGO_TERM_COLOR=never
  export CARGO_INCREMENTAL=0
fi

# ----------------------------------------------------------------- helpers --

log()  { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Run a named step and report how long it took (CI has a 90-minute budget,
# so the log should show where the time goes).
step() {
  local name="$1"; shift
  local t0=$SECONDS
  log "$name"
  "$@"
  info "($name: $((SECONDS - t0))s)"
}

have() { command -v "$1" >/dev/null 2>&1; }

# The wasm-bindgen crate version recorded in Cargo.lock. The CLI must match it
# exactly: wasm-bindgen refuses (or silently miscompiles) with a different
# schema version.
lock_wasm_bindgen_version() {
  [[ -f Cargo.lock ]] || die "Cargo.lock is missing; run 'cargo generate-lockfile' (it should be committed)."
  awk '
    /^\[\[package\]\]/ { in_wb = 0 }
    /^name = "wasm-bindgen"$/ { in_wb = 1; next }
    in_wb && /^version = / { gsub(/"/, "", $3); print $3; exit }
  ' Cargo.lock
}

installed_wasm_bindgen_version() {
  have wasm-bindgen || return 0
  wasm-bindgen --version 2>/dev/null | awk '{print $2}'
}

# Another process (a background install started by hand, a second build) may
# be running `cargo install wasm-bindgen-cli` right now: wait for it instead
# of building the same thing twice on 2 cores.
wait_for_other_cargo_install() {
  local waited=0
  while pgrep -f '^[^ ]*cargo install wasm-bindgen-cli' >/dev/null 2>&1; do
    (( waited == 0 )) && info "another 'cargo install wasm-bindgen-cli' is running; waiting for it"
    sleep 5; waited=$((waited + 5))
    (( waited < 1200 )) || die "waited 20 minutes for another 'cargo install wasm-bindgen-cli'; giving up"
  done
}

# Same for apt/dpkg: a background install may hold the dpkg lock.
wait_for_apt() {
  local waited=0
  while pgrep -x 'apt|apt-get|dpkg|unattended-upgr' >/dev/null 2>&1; do
    (( waited == 0 )) && info "apt/dpkg is busy (another install is running); waiting for it"
    sleep 5; waited=$((waited + 5))
    (( waited < 1200 )) || die "waited 20 minutes for apt/dpkg to finish; giving up"
  done
}

# ------------------------------------------------------------------- setup --

setup_rust_target() {
  have rustup || die "rustup not found: install Rust with rustup (https://rustup.rs), then rerun."
  if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    info "rust target $WASM_TARGET already installed"
  else
    rustup target add "$WASM_TARGET" || die "could not install the rust target: run 'rustup target add $WASM_TARGET'"
  fi
}

setup_wasm_bindgen() {
  local want have_v
  want="$(lock_wasm_bindgen_version)"
  [[ -n "$want" ]] || die "no wasm-bindgen package in Cargo.lock; is wasm-bindgen still a dependency in Cargo.toml?"
  wait_for_other_cargo_install
  have_v="$(installed_wasm_bindgen_version)"
  if [[ "$have_v" == "$want" ]]; then
    info "wasm-bindgen-cli $want already installed (matches Cargo.lock)"
    return
  fi
  info "installing wasm-bindgen-cli =$want (Cargo.lock; found: ${have_v:-none}); takes ~2-3 minutes"
  # Not --locked: wasm-bindgen-cli's lock file names crate versions this
  # registry doesn't serve (seen: webpki-roots 1.0.11), so it can't resolve.
  # --force: replace a wasm-bindgen of another version in place.
  cargo install wasm-bindgen-cli --version "=$want" --force \
    || die "could not install wasm-bindgen-cli: run 'cargo install wasm-bindgen-cli --version =$want'"
}

setup_npm() {
  have node || die "node not found: install Node.js >= 18 (Debian: apt-get install nodejs npm)"
  have npm  || die "npm not found: install npm (Debian: apt-get install npm)"
  [[ -f package.json ]] || die "package.json is missing (it pins binaryen and playwright-core)"
  # npm ci wipes node_modules every time; skip it when node_modules was
  # already installed from the current package.json / package-lock.json.
  local stamp=node_modules/.package-lock.json
  if [[ -f "$stamp" && -x "$WASM_OPT" && "$stamp" -nt package.json \
        && ( ! -f package-lock.json || "$stamp" -nt package-lock.json ) ]]; then
    info "node_modules up to date with package.json / package-lock.json"
    return
  fi
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund || die "npm ci failed: check that the npm registry is reachable"
  else
    npm install --no-audit --no-fund || die "npm install failed: check that the npm registry is reachable"
  fi
  touch "$stamp"
}

setup_chromium() {
  if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
    info "chromium and chromedriver already installed"
    return
  fi
  if [[ "$(id -u)" != 0 ]]; then
    die "Chromium is missing and installing it needs root: run 'sudo apt-get update && sudo apt-get install -y chromium chromium-driver'"
  fi
  have apt-get || die "Chromium is missing and apt-get is not available: install chromium + chromedriver so that $CHROMIUM exists"
  wait_for_apt
  # DPkg::Lock::Timeout: if something grabs the lock between our check and
  # the install, wait for it rather than fail.
  local apt=(apt-get -o DPkg::Lock::Timeout=900 -q)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" update \
    || die "apt-get update failed: cannot install chromium"
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y chromium chromium-driver \
    || die "could not install chromium: run 'apt-get install -y chromium chromium-driver' as root"
  [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]] \
    || die "apt-get finished but $CHROMIUM or $CHROMEDRIVER is still missing: install chromium + chromium-driver"
}

# The browser tests serve their fixture pages over HTTPS; openssl makes the
# self-signed certificate (extension/tests/lib/cert.mjs).
setup_openssl() {
  if have openssl; then
    info "openssl already installed"
    return
  fi
  [[ "$(id -u)" == 0 ]] || die "openssl is missing and installing it needs root: run 'sudo apt-get install -y openssl'"
  have apt-get || die "openssl is missing and apt-get is not available: install openssl"
  wait_for_apt
  local apt=(apt-get -o DPkg::Lock::Timeout=900 -q)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y openssl \
    || { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y openssl; } \
    || die "could not install openssl: run 'apt-get install -y openssl' as root"
}

# Firefox tests: Debian's Firefox ESR.
setup_firefox() {
  if [[ -x "$FIREFOX" ]]; then
    info "firefox-esr already installed"
    return
  fi
  [[ "$(id -u)" == 0 ]] || die "Firefox ESR is missing and installing it needs root: run 'sudo apt-get update && sudo apt-get install -y firefox-esr'"
  have apt-get || die "Firefox ESR is missing and apt-get is not available: install firefox-esr so that $FIREFOX exists"
  wait_for_apt
  local apt=(apt-get -o DPkg::Lock::Timeout=900 -q)
  info "installing firefox-esr (Debian) for the Firefox tests"
  # One 'apt-get update': skipped when the package lists are fresh (setup_chromium may
  # have just updated them), and done anyway if the install fails with those lists.
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -120 2>/dev/null | head -1)" ]]; then
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update \
      || die "apt-get update failed: cannot install firefox-esr"
  fi
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y firefox-esr \
    || { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y firefox-esr; } \
    || die "could not install firefox-esr: run 'apt-get update && apt-get install -y firefox-esr' as root"
  [[ -x "$FIREFOX" ]] || die "apt-get finished but $FIREFOX is still missing: install firefox-esr"
}

installed_geckodriver_version() {
  have geckodriver || return 0
  geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}'
}

# geckodriver (Mozilla's WebDriver server for Firefox) is built from crates.io: Debian does
# not package it and nothing else may be downloaded. Pinned, so every machine drives
# Firefox the same way.
setup_geckodriver() {
  local have_v waited=0
  while pgrep -f '^[^ ]*cargo install geckodriver' >/dev/null 2>&1; do
    (( waited == 0 )) && info "another 'cargo install geckodriver' is running; waiting for it"
    sleep 5; waited=$((waited + 5))
    (( waited < 1200 )) || die "waited 20 minutes for another 'cargo install geckodriver'; giving up"
  done
  have_v="$(installed_geckodriver_version)"
  if [[ "$have_v" == "$GECKODRIVER_VERSION" ]]; then
    info "geckodriver $GECKODRIVER_VERSION already installed"
    return
  fi
  info "installing geckodriver =$GECKODRIVER_VERSION (found: ${have_v:-none}) with cargo install; it compiles for ~3-5 minutes"
  cargo install geckodriver --version "=$GECKODRIVER_VERSION" --force \
    || die "could not install geckodriver: run 'cargo install geckodriver --version =$GECKODRIVER_VERSION'"
}

setup_verify() {
  local want got optv
  want="$(lock_wasm_bindgen_version)"
  got="$(installed_wasm_bindgen_version)"
  [[ "$got" == "$want" ]] || die "wasm-bindgen is '${got:-missing}' but Cargo.lock has $want: run 'cargo install wasm-bindgen-cli --version =$want'"
  info "wasm-bindgen: $got (== Cargo.lock $want)"

  [[ -x "$WASM_OPT" ]] || die "$WASM_OPT missing: run 'npm install' (package.json pins binaryen)"
  optv="$("$WASM_OPT" --version)"
  info "wasm-opt:     $optv"
  local n; n="$(sed -E 's/^wasm-opt version ([0-9]+).*/\1/' <<<"$optv")"
  [[ "$n" =~ ^[0-9]+$ && "$n" -ge "$MIN_BINARYEN" ]] \
    || die "wasm-opt must be binaryen >= $MIN_BINARYEN (got: $optv); fix the binaryen pin in package.json"

  local pw; pw="$(node -p 'require("playwright-core/package.json").version' 2>/dev/null)" \
    || die "playwright-core is not installed: run 'npm install'"
  info "playwright-core: $pw"
  # The Debian launcher script prints a harmless shell warning on stderr.
  local cv dv
  cv="$("$CHROMIUM" --version 2>/dev/null)" || die "'$CHROMIUM --version' failed: reinstall chromium (apt-get install -y chromium)"
  dv="$("$CHROMEDRIVER" --version 2>/dev/null | head -1)" || die "'$CHROMEDRIVER --version' failed: reinstall chromium-driver"
  info "chromium:     $cv"
  info "chromedriver: $dv"
  info "openssl:      $(openssl version 2>/dev/null || echo missing)"
  local fv gv wv
  fv="$("$FIREFOX" --version 2>/dev/null)" || die "'$FIREFOX --version' failed: reinstall firefox-esr (apt-get install -y firefox-esr)"
  gv="$(installed_geckodriver_version)"
  [[ "$gv" == "$GECKODRIVER_VERSION" ]] || die "geckodriver is '${gv:-missing}', want $GECKODRIVER_VERSION: run 'cargo install geckodriver --version =$GECKODRIVER_VERSION'"
  # (web-ext's package exports do not include its package.json: read the file.)
  wv="$(node -p 'JSON.parse(require("fs").readFileSync("node_modules/web-ext/package.json", "utf8")).version' 2>/dev/null)" \
    && [[ -x node_modules/.bin/web-ext ]] || die "web-ext is not installed: run 'npm install' (package.json pins it)"
  info "firefox:      $fv"
  info "geckodriver:  $gv"
  info "web-ext:      $wv"
}

cmd_setup() {
  step "setup: rust target $WASM_TARGET" setup_rust_target
  step "setup: wasm-bindgen-cli (pinned by Cargo.lock)" setup_wasm_bindgen
  step "setup: npm packages (binaryen, playwright-core, web-ext)" setup_npm
  step "setup: chromium + chromedriver (Debian)" setup_chromium
  step "setup: openssl (test certificate)" setup_openssl
  step "setup: firefox-esr (Debian)" setup_firefox
  step "setup: geckodriver $GECKODRIVER_VERSION (cargo install)" setup_geckodriver
  step "setup: version check" setup_verify
}

# ------------------------------------------------------------------- build --

cmd_cli() {
  cargo build --release --bin runbook-lens
  info "built target/release/runbook-lens"
}

# One wasm package into $PKG_DIR: `wasm_package <out-name> [cargo feature flags...]`.
wasm_package() {
  local name="$1"; shift
  local raw="target/$WASM_TARGET/wasm/$CRATE_LIB.wasm"
  local out="$PKG_DIR/${name}_bg.wasm"
  # The `wasm` profile (Cargo.toml) is tuned for size and keeps the custom
  # sections wasm-bindgen reads; wasm-opt strips them afterwards.
  cargo build --lib --profile wasm --target "$WASM_TARGET" "$@"
  info "cargo output for $name: $raw ($(stat -c %s "$raw") bytes)"
  wasm-bindgen --target web --out-dir "$PKG_DIR" --out-name "$name" "$raw"
  # -Oz: the extension ships this file; size matters more than speed.
  # (Without -g wasm-opt drops the name section; also drop the other
  # informational custom sections.)
  "$WASM_OPT" -Oz "${WASM_OPT_FEATURES[@]}" \
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
  # The glue is an ES module; say so, so node-based tests can import it
  # without node's "reparsing as ES module" warning.
  printf '{ "type": "module" }\n' > "$PKG_DIR/package.json"
}

# Compile the optimized module in node's V8 (same engine as Chromium): catches
# a wasm-opt feature flag that produced something the browser won't accept.
# Only compiles, never runs: start functions may need a DOM.
wasm_smoke() {
  node scripts/wasm-check.mjs "$PKG_DIR/${CRATE_LIB}_bg.wasm" "$PKG_DIR/${CRATE_LIB}_options_bg.wasm"
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

setup_clippy() {
  if ! cargo clippy --version >/dev/null 2>&1; then
    rustup component add clippy || die "could not install clippy: run 'rustup component add clippy'"
  fi
}

# The extension's tests: unit tests (URL predicate, text helpers) with node's
# test runner, then the browser tests (extraction in Chromium; the built extension
# end to end against HTTPS fixture pages at PagerDuty host names). They get
# CHROMIUM_PATH and the built extension's directory in the environment.
browser_tests() {
  cmd_extension
  export RUNBOOK_LENS_PKG_DIR="$ROOT/$PKG_DIR" RUNBOOK_LENS_EXT_DIR="$ROOT/$EXT_OUT"
  node "$EXT_DIR/tests/run.mjs"
}

# The Firefox build in headless Firefox ESR through geckodriver (extension/tests/firefox;
# browser_tests has just built dist/firefox and its zip).
firefox_tests() {
  RUNBOOK_LENS_FIREFOX_DIR="$ROOT/$FX_OUT" RUNBOOK_LENS_FIREFOX_ZIP="$ROOT/$FX_ZIP" \
    FIREFOX_PATH="$FIREFOX" MOZ_HEADLESS=1 \
    node --test --test-concurrency=1 --test-reporter=spec "$EXT_DIR"/tests/firefox/*.test.mjs
}

# cargo-fuzz needs nightly compiler flags; RUSTC_BOOTSTRAP=1 lets this stable
# toolchain accept them (the only toolchain this machine can have). Not part of
# `test`: the randomised tests in tests/randomised.rs cover CI.
cmd_fuzz() {
  local seconds="$1"
  if ! cargo fuzz --version >/dev/null 2>&1; then
    step "fuzz: install cargo-fuzz" cargo install cargo-fuzz
  fi
  step "fuzz: parse target for ${seconds}s" \
    env RUSTC_BOOTSTRAP=1 cargo fuzz run parse -- -max_total_time="$seconds"
}

cmd_test() {
  cmd_setup
  # Debug profile on purpose: it builds fastest on 2 cores and keeps debug
  # assertions on. Set RUNBOOK_LENS_TEST_RELEASE=1 to run the tests in release.
  # --no-fail-fast: report every failing test target in one CI run.
  local rel=()
  [[ "${RUNBOOK_LENS_TEST_RELEASE:-}" == 1 ]] && rel=(--release)
  step "test: cargo test" cargo test --all-targets --no-fail-fast "${rel[@]}"
  step "test: clippy" setup_clippy
  step "test: cargo clippy -D warnings" cargo clippy --all-targets -- -D warnings
  # The wasm32-only code (wasm-bindgen exports) is invisible to the host
  # clippy run above.
  step "test: cargo clippy -D warnings (wasm32 lib)" \
    cargo clippy --lib --test web --target "$WASM_TARGET" --no-default-features -- -D warnings
  step "test: cargo clippy -D warnings (wasm32 lib with markdown: the options page)" \
    cargo clippy --lib --target "$WASM_TARGET" -- -D warnings
  step "test: cargo clippy -D warnings (without the markdown feature)" \
    cargo clippy --lib --no-default-features -- -D warnings
  # The panel's Rust rendering, in headless Chromium through wasm-bindgen-test-runner
  # (.cargo/config.toml sets the runner; webdriver.json passes Chromium its flags).
  step "test: wasm-bindgen-test (tests/web.rs in Chromium)" \
    env CHROMEDRIVER=/usr/bin/chromedriver cargo test --target "$WASM_TARGET" --no-default-features --test web
  step "test: wasm build" cmd_wasm
  step "test: wasm module compiles in V8" wasm_smoke
  step "test: extension unit + browser tests ($EXT_DIR/tests)" browser_tests
  step "test: web-ext lint ($FX_OUT)" node scripts/lint-firefox.mjs "$FX_OUT"
  step "test: extension in Firefox ESR ($EXT_DIR/tests/firefox)" firefox_tests
  log "all tests passed"
}

# ------------------------------------------------------------------- bench --

# One table of every figure, its budget and whether it is met (scripts/bench-table.mjs),
# from three parts that write to target/bench/:
#   native   cargo bench --bench engine: corpus parse, explain per alert at 100 and 1,000
#            runbooks; it also writes the packs and queries the other two parts reuse
#   wasm     scripts/bench-wasm.mjs: the same packs and queries with dist/pkg in node's V8
#   browser  scripts/bench-browser.mjs: the built extension in headless Chromium: panel
#            payload, alert-to-guidance time (cold and SPA), panel memory
# Without ../shared/corpus the corpus rows say "skipped: no corpus". A missed budget is
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
  BENCH_FAILED=()
  # The native rows go to a file (bench-table.mjs reads them back); cargo's own progress stays on stderr.
  bench_part "native (cargo bench --bench engine)" \
    bash -c 'set -o pipefail; cargo bench --bench engine > "$1"' _ "$BENCH_OUT/native.txt"
  bench_part "wasm (scripts/bench-wasm.mjs)" \
    node scripts/bench-wasm.mjs --pkg "$PKG_DIR" --dir "$BENCH_OUT" --json "$BENCH_OUT/wasm.json"
  bench_part "browser (scripts/bench-browser.mjs)" \
    env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 node scripts/bench-browser.mjs --ext "$EXT_OUT" --dir "$BENCH_OUT" --json "$BENCH_OUT/browser.json"
  node scripts/bench-table.mjs --dir "$BENCH_OUT"
  (( ${#BENCH_FAILED[@]} == 0 )) || die "benchmark part(s) failed: ${BENCH_FAILED[*]} (their rows say 'not run')"
}

cmd_help() {
  sed -n '2,13p' "$ROOT/build.sh" | sed 's/^# \{0,1\}//'
  cat <<EOF

Environment:
  CI=true                     no colors, no incremental compilation
  RUNBOOK_LENS_TEST_RELEASE=1 run 'cargo test' with --release
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
  test)             cmd_test ;;
  bench)            cmd_bench ;;
  fuzz)             shift; cmd_fuzz "${1:-60}" ;;
  help|-h|--help)   cmd_help; exit 0 ;;
  *)                cmd_help >&2; die "unknown command: $1" ;;
esac
info "(total: $((SECONDS - t_start))s)"
