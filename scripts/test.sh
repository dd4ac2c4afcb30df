#!/usr/bin/env bash
# The project's one test command (README gives it; .ci/run calls it).
# Sets up the machine, then: format, lints (native and wasm32), native tests,
# browser tests in headless Chromium, the release build and the offline single
# file made from it, the end-to-end tests against both, a size report of dist/
# and of the single file (with its SHA-256), and two clean rebuilds that must
# give the same single file. Runners' summaries last.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"

bash scripts/setup.sh

LOGS="$KEYWRAP_ROOT/target/test-logs"
rm -rf "$LOGS" && mkdir -p "$LOGS"
step() { printf '\n== test: %s\n' "$*"; }
# Runs a command, shows its output and keeps a copy for the summary.
logged() { local name=$1; shift; "$@" 2>&1 | tee "$LOGS/$name.log"; return "${PIPESTATUS[0]}"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native, all targets and features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "clippy (wasm32: the code that runs in the page and its browser tests)"
cargo clippy --target wasm32-unknown-unknown -p keywrap-core -p keywrap-web --lib --bins -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p keywrap-browser-tests --tests -- -D warnings

step "native tests"
# Property tests draw their cases from a fixed seed here, so a run is
# reproducible and a red CI means a change broke something. To explore new
# cases, pass another seed: PROPTEST_RNG_SEED=$RANDOM bash scripts/test.sh.
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261128}"
logged native cargo test --workspace --all-features

step "browser tests (wasm-bindgen-test in headless Chromium)"
browser_tests() { cargo test --target wasm32-unknown-unknown -p keywrap-browser-tests; }
# chromedriver that never comes up is the machine's failure, not a test's
# (seen once: "driver failed to bind port during startup" after the driver
# was killed): then, and only then, the browser tests run once more.
if ! logged browser browser_tests; then
  grep -q 'driver failed to bind port during startup' "$LOGS/browser.log" || exit 1
  printf '\nchromedriver did not start; running the browser tests once more\n'
  logged browser browser_tests
fi

step "release build (trunk, relative URLs so dist/ works under any sub-path) and the offline single file"
bash scripts/build_release.sh

step "end-to-end tests (the built page in headless Chromium)"
logged e2e node --test --test-reporter=spec tests/e2e/

step "size of dist/"
bash scripts/size_report.sh dist | tee "$LOGS/size.log"
# The one deterministic size check: the page a user downloads stays small.
# 525,000 bytes gzip holds the console with both command dialects, the step
# pictures, the import packages, RSA key pairs in the virtual HSM, the copy
# ledger and key-separation reports, the bulk export, the SIMD128 AES and the
# sliced workbench jobs (520 KB when it was set). It is a ceiling against
# growth; ARCHITECTURE.md, "Size and speed", says what occupies the page
# (scripts/size_by_area.sh) and why the issue's 260 KB is out of reach.
bash scripts/size_report.sh --budget 525000 dist >/dev/null
bash scripts/size_report.sh dist-single | tee "$LOGS/size-single.log"

step "single file is reproducible (two builds from clean clones, byte-identical)"
bash scripts/reproducible.sh

printf '\n== summary\n'
# Each runner's own count, then one closing line over all of them.
count() { # log-file awk-program label
  awk "$2" "$LOGS/$1.log" | while read -r p f; do printf '%s: %d passed, %d failed\n' "$3" "$p" "$f"; done
}
count native '/^test result:/ {p+=$4; f+=$6} END {print p+0, f+0}' "native (cargo test, $(grep -c '^test result:' "$LOGS/native.log") suites)"
count browser '/^test result:/ {p+=$4; f+=$6} END {print p+0, f+0}' "browser (wasm-bindgen-test in headless Chromium)"
count e2e '/^ℹ pass / {p=$3} /^ℹ fail / {f=$3} END {print p+0, f+0}' "end-to-end (node --test, Playwright in headless Chromium)"
tail -1 "$LOGS/size.log"
grep '^sha256' "$LOGS/size-single.log"
awk '/^test result:/ {p+=$4; f+=$6} /^ℹ pass / {p+=$3} /^ℹ fail / {f+=$3} END {printf "all: %d passed, %d failed\n", p, f}' \
  "$LOGS/native.log" "$LOGS/browser.log" "$LOGS/e2e.log"
