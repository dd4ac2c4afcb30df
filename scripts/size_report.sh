#!/usr/bin/env bash
# Raw, gzip (-9) and brotli (quality 11, what most static hosts send) bytes of
# every file in a build folder, and the totals. Brotli comes from Node's zlib
# (Node is already required by scripts/setup.sh), so no other tool is needed.
# With --budget N, exit 1 when the gzip total exceeds N bytes.
set -euo pipefail
budget=""
if [ "${1:-}" = "--budget" ]; then budget=$2; shift 2; fi
dir="${1:-dist}"
[ -d "$dir" ] || { echo "size_report: no folder $dir" >&2; exit 1; }
command -v node >/dev/null || { echo "size_report: node not found (run scripts/setup.sh)" >&2; exit 1; }
brotli_size() {
  node -e 'const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
    process.stdout.write(String(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length));' "$1"
}
printf '%-48s %10s %10s %10s\n' "file" "raw" "gzip" "brotli"
total_raw=0; total_gz=0; total_br=0
while IFS= read -r f; do
  raw=$(wc -c < "$f"); gz=$(gzip -9 -c < "$f" | wc -c); br=$(brotli_size "$f")
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-48s %10d %10d %10d\n' "${f#"$dir"/}" "$raw" "$gz" "$br"
done < <(find "$dir" -type f | sort)
awk -v r="$total_raw" -v g="$total_gz" -v b="$total_br" 'BEGIN {
  printf "dist/ total: %d bytes raw, %d bytes gzip (%.1f KB gzip), %d bytes brotli (%.1f KB brotli)\n", r, g, g / 1000, b, b / 1000 }'
# The single file is checked by its hash (README: `sha256sum keywrap-console.html`).
if [ -f "$dir/keywrap-console.html" ]; then
  printf 'sha256: %s  keywrap-console.html\n' "$(sha256sum "$dir/keywrap-console.html" | cut -d' ' -f1)"
fi
if [ -n "$budget" ] && [ "$total_gz" -gt "$budget" ]; then
  echo "size_report: $dir is $total_gz bytes gzip, over the budget of $budget" >&2
  exit 1
fi
