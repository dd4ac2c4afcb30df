#!/usr/bin/env bash
# Raw and gzip (-9) bytes of every file in a build folder, and the total.
# With --budget N, exit 1 when the gzip total exceeds N bytes.
set -euo pipefail
budget=""
if [ "${1:-}" = "--budget" ]; then budget=$2; shift 2; fi
dir="${1:-dist}"
[ -d "$dir" ] || { echo "size_report: no folder $dir" >&2; exit 1; }
printf '%-48s %10s %10s\n' "file" "raw" "gzip"
total_raw=0; total_gz=0
while IFS= read -r f; do
  raw=$(wc -c < "$f"); gz=$(gzip -9 -c < "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#"$dir"/}" "$raw" "$gz"
done < <(find "$dir" -type f | sort)
awk -v r="$total_raw" -v g="$total_gz" 'BEGIN { printf "dist/ total: %d bytes raw, %d bytes gzip (%.1f KB gzip)\n", r, g, g / 1000 }'
# The single file is checked by its hash (README: `sha256sum keywrap-console.html`).
if [ -f "$dir/keywrap-console.html" ]; then
  printf 'sha256: %s  keywrap-console.html\n' "$(sha256sum "$dir/keywrap-console.html" | cut -d' ' -f1)"
fi
if [ -n "$budget" ] && [ "$total_gz" -gt "$budget" ]; then
  echo "size_report: $dir is $total_gz bytes gzip, over the budget of $budget" >&2
  exit 1
fi
