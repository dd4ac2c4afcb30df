#!/usr/bin/env bash
# The project's one test command (README gives it; .ci/run calls it).
# Sets up the machine, then: format, lints (native and wasm32), native tests,
# browser tests in headless Chromium, the release build, the end-to-end tests
# against that build, and a size report of dist/. Runners' summaries last.
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
logged native cargo test --workspace --all-features

step "browser tests (wasm-bindgen-test in headless Chromium)"
logged browser cargo test --target wasm32-unknown-unknown -p keywrap-browser-tests

step "release build (trunk, relative URLs so dist/ works under any sub-path)"
rm -rf dist
trunk build --release --public-url ./

step "end-to-end tests (the built page in headless Chromium)"
logged e2e node --test --test-reporter=spec tests/e2e/

step "size of dist/"
bash scripts/size_report.sh dist | tee "$LOGS/size.log"

printf '\n== summary\n'
grep -hE '^test result:' "$LOGS/native.log" | awk '{p+=$4; f+=$6; i+=$8} END {printf "native (cargo test): %d passed, %d failed, %d ignored in %d suites\n", p, f, i, NR}'
grep -hE '^test result:' "$LOGS/browser.log" | awk '{p+=$4; f+=$6; i+=$8} END {printf "browser (wasm-bindgen-test, headless Chromium): %d passed, %d failed, %d ignored in %d suites\n", p, f, i, NR}'
grep -hE '^. (tests|pass|fail|skipped) [0-9]+' "$LOGS/e2e.log" | sed 's/^. /end-to-end (node --test): /' | tr '\n' ' '; echo
tail -1 "$LOGS/size.log"
