# Sourced by the project's scripts: the tools scripts/setup.sh installs, on PATH.
# Nothing here downloads anything.
KEYWRAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export KEYWRAP_ROOT
export PATH="$KEYWRAP_ROOT/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# wasm-bindgen-test-runner drives Debian's chromedriver with these Chromium flags.
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$KEYWRAP_ROOT/webdriver.json"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
# The version of wasm-bindgen that Cargo.lock records: the one source of truth.
keywrap_locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$KEYWRAP_ROOT/Cargo.lock"
}
