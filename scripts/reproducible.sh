#!/usr/bin/env bash
# Checks that the offline single file is reproducible: builds it twice, from
# two fresh clones of HEAD in temporary folders, each with a target folder of
# its own (a shared one would reuse the first build's artefacts and could hide
# nondeterminism), and compares the two files byte for byte. When the work
# tree is clean, the file scripts/test.sh built in it must be the same too:
# that is the SHA-256 the size report prints and README tells users to check.
# Prints each build's time. Exit 1 on any difference.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"

work="$(mktemp -d "${TMPDIR:-/tmp}/keywrap-reproducible.XXXXXX")"
trap 'rm -rf "$work"' EXIT
commit="$(git rev-parse HEAD)"
for n in one two; do
  git clone --quiet --no-hardlinks "$KEYWRAP_ROOT" "$work/$n"
  git -C "$work/$n" -c advice.detachedHead=false checkout --quiet --detach "$commit"
  start=$SECONDS
  if ! CARGO_TARGET_DIR="$work/$n/target" bash "$work/$n/scripts/build_release.sh" >"$work/$n.log" 2>&1; then
    cat "$work/$n.log" >&2
    echo "reproducible: build $n failed" >&2
    exit 1
  fi
  printf 'reproducible: clean build %s of %s in %d s\n' "$n" "${commit:0:12}" $((SECONDS - start))
done

sha() { sha256sum "$1" | cut -d' ' -f1; }
one="$(sha "$work/one/dist-single/keywrap-console.html")"
two="$(sha "$work/two/dist-single/keywrap-console.html")"
if [ "$one" != "$two" ]; then
  echo "reproducible: the two clean builds differ ($one vs $two); files of dist/ that differ:" >&2
  (cd "$work/one/dist" && for f in *; do cmp -s "$f" "$work/two/dist/$f" || echo "  $f" >&2; done)
  exit 1
fi
echo "reproducible: two clean builds give one file, sha256 $one"
if [ -z "$(git status --porcelain --untracked-files=no)" ] && [ -f dist-single/keywrap-console.html ]; then
  here="$(sha dist-single/keywrap-console.html)"
  if [ "$here" != "$one" ]; then
    echo "reproducible: this work tree's dist-single/keywrap-console.html ($here) differs from the clean builds ($one)" >&2
    exit 1
  fi
  echo "reproducible: this work tree's build is the same file"
else
  echo "reproducible: work tree has uncommitted changes; its own build was not compared"
fi
