#!/usr/bin/env bash
# Installs everything the console needs to build, run and test on a fresh
# machine, from the package registries only. Idempotent: a second run checks
# versions and returns in seconds.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"

TRUNK_VERSION=0.21.14      # every 0.22.x needs a newer rustc than this machine's
BINARYEN_VERSION=132       # Debian's binaryen is too old to read wasm-bindgen's output
step() { printf '\n== setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }

step "Rust target wasm32-unknown-unknown"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "trunk $TRUNK_VERSION"
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

WBG_VERSION="$(keywrap_locked_wasm_bindgen)"
[ -n "$WBG_VERSION" ] || fail "no wasm-bindgen in Cargo.lock (run 'cargo generate-lockfile')"
step "wasm-bindgen-cli $WBG_VERSION (the version Cargo.lock records)"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  # Without --locked: the lock file wasm-bindgen-cli ships names a crate
  # version that the registry here does not serve.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

step "wasm-opt (npm binaryen $BINARYEN_VERSION, into .tools/)"
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION\b"; then
  mkdir -p .tools
  [ -f .tools/package.json ] || printf '{ "private": true }\n' > .tools/package.json
  npm install --prefix .tools --no-audit --no-fund --save-exact "binaryen@$BINARYEN_VERSION"
  hash -r
  wasm-opt --version | grep -q "version $BINARYEN_VERSION\b" || fail "wasm-opt $BINARYEN_VERSION not found on PATH after install"
fi

step "Chromium and ChromeDriver (Debian packages)"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "chromium/chromium-driver missing and not root: install them with apt-get as root"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
fi
chromium_major="$(chromium --version | grep -oE '[0-9]+' | head -1)"
driver_major="$(chromedriver --version | grep -oE '[0-9]+' | head -1)"
[ "$chromium_major" = "$driver_major" ] || fail "chromium $chromium_major and chromedriver $driver_major differ: apt-get install -y chromium chromium-driver"

step "nginx (Debian package: tests/e2e/headers.test.mjs runs deploy/nginx.conf)"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  [ "$(id -u)" = 0 ] || fail "nginx missing and not root: apt-get install nginx as root"
  apt-get update
  # Installed to be run by the tests on a loopback port, never as a service:
  # a policy-rc.d that refuses every service start keeps the package from
  # starting nginx on port 80 (removed again if this script put it there).
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx
fi

step "Trunk.toml names the installed tools"
grep -q "^wasm_bindgen = \"$WBG_VERSION\"" Trunk.toml \
  || fail "Trunk.toml [tools] wasm_bindgen must be \"$WBG_VERSION\" (Cargo.lock); edit Trunk.toml, or pin wasm-bindgen in Cargo.toml to the Trunk.toml version"
grep -q "^wasm_opt = \"version_$BINARYEN_VERSION\"" Trunk.toml \
  || fail "Trunk.toml [tools] wasm_opt must be \"version_$BINARYEN_VERSION\""
grep -q "^wasm-bindgen = \"=$WBG_VERSION\"" Cargo.toml \
  || fail "Cargo.toml must pin wasm-bindgen = \"=$WBG_VERSION\" (the version in Cargo.lock)"

if [ -f tests/e2e/package.json ]; then
  step "end-to-end test tools (tests/e2e, npm; no browser download)"
  if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix tests/e2e --no-audit --no-fund
    touch tests/e2e/node_modules
  fi
fi

printf '\nsetup: ready (trunk %s, wasm-bindgen %s, wasm-opt %s, %s)\n' \
  "$TRUNK_VERSION" "$WBG_VERSION" "$BINARYEN_VERSION" "$(chromium --version)"
