#!/usr/bin/env bash
# Soak test: starts `pocket-tts serve` on loopback with the tiny fixture model (or --config/--voice of your own), then
# CLIENTS clients stream speech for MINUTES minutes while the server's memory is sampled (scripts/soak.py reports
# requests, statuses, malformed bodies and RSS over time). Loopback only, bounded, leaves nothing running.
# Usage: scripts/soak.sh [CLIENTS] [MINUTES] [extra serve options...]
set -euo pipefail
cd "$(dirname "$0")/.."
clients="${1:-8}"; minutes="${2:-2}"; shift $(( $# > 2 ? 2 : $# )) || true
serve_args=("$@")
if [ "${#serve_args[@]}" -eq 0 ]; then
  serve_args=(--config tests/Parity/Fixtures/tiny/config.yaml --voice tests/Parity/Fixtures/voice_state.safetensors)
fi
dotnet build src/PocketTts.Host -c Release -nologo -v q >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
dotnet src/PocketTts.Host/bin/Release/net10.0/pocket-tts.dll serve --host 127.0.0.1 --port "$port" -q "${serve_args[@]}" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
python3 scripts/soak.py 127.0.0.1 "$port" "$server" "$clients" "$(( minutes * 60 ))"
