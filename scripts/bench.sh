#!/usr/bin/env bash
# Benchmarks that print figures and never fail on a time:
#  - natively, criterion (keywrap-core's benches: our wrap vs aes-kw, the store);
#  - in headless Chromium, the wasm core beside WebCrypto's AES-KW, the page's
#    two AES implementations (vector-permute SIMD128 and fixslice), KWP of
#    1 MiB, findKey over 10,000 keys, and the release console's first render,
#    size and a keystroke with 1,000 keys in the HSM (also written to
#    target/bench/browser.json).
# `bash scripts/bench.sh browser` runs only the browser part.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"
bash scripts/setup.sh >/dev/null

if [ "${1:-all}" != "browser" ]; then
  printf '\n== bench: native (criterion)\n'
  cargo bench -p keywrap-core
fi

printf '\n== bench: building the release console and the benchmark page\n'
# The console exactly as released; the benchmark page with the same wasm
# flags as scripts/build_release.sh sets (so both share one build of the
# dependencies, and the figures are those of the shipped code).
bash scripts/build_release.sh
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128 --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
trunk build --release --public-url ./ --dist target/bench/dist tests/bench/index.html
printf '\n== bench: in headless Chromium\n'
node tests/e2e/bench/browser_bench.mjs
