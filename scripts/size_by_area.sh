#!/usr/bin/env bash
# What each area of the code costs the page in gzip bytes (scripts/size_by_area.py):
# the release build's wasm (run scripts/build_release.sh first) through the
# same wasm-bindgen and wasm-opt -O3 as trunk, with the function names kept
# for the measurement only. ARCHITECTURE.md, "Size and speed", keeps the figures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"
module=target/wasm32-unknown-unknown/release/keywrap-web.wasm
[ -f "$module" ] || { echo "size_by_area: no $module (run scripts/build_release.sh)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --out-dir "$work" "$module"
wasm-opt --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -O3 -g "$work/keywrap-web_bg.wasm" -o "$work/named.wasm"
python3 scripts/size_by_area.py "$work/named.wasm"
