#!/usr/bin/env bash
# Sets up the machine, then serves the console on http://127.0.0.1:8080/
# (trunk serve, rebuilding on change). Live reload is off: its inline script
# and WebSocket would break the page's Content-Security-Policy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$KEYWRAP_ROOT"
bash scripts/setup.sh
ADDRESS="${KEYWRAP_ADDRESS:-127.0.0.1}"
PORT="${KEYWRAP_PORT:-8080}"
printf '\nKeywrap Console: open http://%s:%s/ once trunk reports "server listening"\n\n' "$ADDRESS" "$PORT"
exec trunk serve --no-autoreload --address "$ADDRESS" --port "$PORT" "$@"
