#!/usr/bin/env bash
# The release build: dist/ (trunk, relative URLs so it works under any
# sub-path) and the offline single file dist-single/keywrap-console.html made
# from it (scripts/single_file.py). scripts/test.sh and scripts/reproducible.sh
# build with this, and so should anyone who compares the single file's SHA-256.
#
# The one machine-specific path rustc would put into the wasm is the cargo
# home (panic locations in registry crates: /home/you/.cargo/registry/src/…);
# it is remapped to /cargo, so the bytes do not depend on where cargo keeps its
# sources. Workspace paths are relative already, the toolchain's are
# /rustc/<commit>/…; scripts/reproducible.sh checks that nothing else varies.
# The flag is set for the wasm target only (host build scripts keep theirs).
# This variable replaces .cargo/config.toml's rustflags for the wasm target,
# so it repeats the one there: SIMD128 for the key-wrap rounds' AES.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"

cargo_home="${CARGO_HOME:-$HOME/.cargo}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=+simd128 --remap-path-prefix=$cargo_home=/cargo"
rm -rf dist dist-single
trunk build --release --public-url ./
python3 scripts/single_file.py dist dist-single
