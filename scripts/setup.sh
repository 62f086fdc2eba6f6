#!/usr/bin/env bash
# Setup for Runbook Lens: installs, idempotently, every tool the build and the tests need,
# then checks their versions.
#
#   scripts/setup.sh     install what is missing (apt-get parts need root), then verify
#
# `./build.sh` and `./build.sh test` run it first; `./build.sh test rust` does not. build.sh
# also sources this file for the tool locations, versions and helpers defined here (sourcing
# runs nothing), so each is written once.
#
# What it installs: the rustup target wasm32-unknown-unknown and the rustfmt and clippy
# components; wasm-bindgen-cli pinned to the wasm-bindgen version in Cargo.lock; the npm
# packages of package.json (binaryen's wasm-opt, playwright-core, web-ext); Debian's
# Chromium, ChromeDriver, Firefox ESR and openssl; geckodriver (pinned, cargo install).
set -euo pipefail

# Every path below is relative to the repository root.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"

# ---------------------------------------------------------------- settings --

# Tools installed by `cargo install` land here; make sure a non-login shell
# (CI, cron, IDE) still finds them.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

# The tools, their locations and the versions they are pinned to (build.sh uses them too).
WASM_TARGET=wasm32-unknown-unknown
FIREFOX=/usr/bin/firefox-esr          # Debian's Firefox ESR, for the Firefox tests
GECKODRIVER_VERSION=0.37.1            # WebDriver for Firefox: `cargo install` (Debian has no package)
MIN_BINARYEN=120                      # Debian's binaryen 108 can't read rustc's wasm
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

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

# rustfmt (the tests check formatting) and clippy (the tests run it with -D warnings).
setup_rust_components() {
  local c
  for c in rustfmt clippy; do
    if rustup component list --installed 2>/dev/null | grep -q "^$c"; then
      info "rust component $c already installed"
    else
      rustup component add "$c" || die "could not install $c: run 'rustup component add $c'"
    fi
  done
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
  step "setup: rustfmt and clippy" setup_rust_components
  step "setup: wasm-bindgen-cli (pinned by Cargo.lock)" setup_wasm_bindgen
  step "setup: npm packages (binaryen, playwright-core, web-ext)" setup_npm
  step "setup: chromium + chromedriver (Debian)" setup_chromium
  step "setup: openssl (test certificate)" setup_openssl
  step "setup: firefox-esr (Debian)" setup_firefox
  step "setup: geckodriver $GECKODRIVER_VERSION (cargo install)" setup_geckodriver
  step "setup: version check" setup_verify
}

# Run when executed, not when sourced by build.sh.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cmd_setup
fi
