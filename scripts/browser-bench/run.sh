#!/usr/bin/env bash
# Measures the browser build through its JavaScript API in Debian's headless Chromium: download and load, the voice,
# then two generations of one sentence (67 frames), printed as one JSON line.
#
#   dotnet publish src/PocketTts.Browser -c Release -o /tmp/pt-browser
#   scripts/browser-bench/run.sh /tmp/pt-browser/wwwroot MODEL_DIR 'graphs=graphs-int8/&voice=voice2s.wav'
#   scripts/browser-bench/run.sh /tmp/pt-browser/wwwroot MODEL_DIR 'weights=model.safetensors&voice=voice2s.wav'
#
# MODEL_DIR holds config.yaml and tokenizer.model, and the files the query names (relative to MODEL_DIR): graphs= a
# folder of `pocket-tts export-onnx` (the onnxruntime-web engine; add engine=managed to force the other), weights= the
# safetensors of the managed engine, voice= a WAV/MP3 or an exported .safetensors state. The page is served on
# loopback with the COOP/COEP headers of `pocket-tts serve`, so onnxruntime-web may use threads.
set -euo pipefail
wwwroot=$(realpath "$1") model=$(realpath "$2") query=$3
site=$(mktemp -d)
profile=$(mktemp -d)
cleanup() {
  [ -n "${chromium_pid:-}" ] && { kill "$chromium_pid" 2>/dev/null; wait "$chromium_pid" 2>/dev/null; } || true
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$site" "$profile"
}
trap cleanup EXIT
for f in "$wwwroot"/*; do ln -s "$f" "$site/"; done
ln -s "$(dirname "$(realpath "$0")")/bench.html" "$site/bench.html"
ln -s "$model" "$site/model"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$site" "$port" <<'PY' &
import functools, http.server, sys
class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header('Cross-Origin-Opener-Policy', 'same-origin')
        self.send_header('Cross-Origin-Embedder-Policy', 'require-corp')
        super().end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[2])), functools.partial(Handler, directory=sys.argv[1])).serve_forever()
PY
server_pid=$!
# Paths in the query are relative to MODEL_DIR, which the site serves at model/.
page_query="config=model/config.yaml&tokenizer=model/tokenizer.model&$(sed -E 's#(graphs|weights|voice)=#\1=model/#g' <<<"$query")"
log="$profile/chromium.log"
chromium --headless=new --no-sandbox --enable-logging=stderr --v=0 --user-data-dir="$profile" \
  "http://127.0.0.1:$port/bench.html?$page_query" >"$log" 2>&1 &
chromium_pid=$!
for _ in $(seq 1 600); do
  grep -q '"BENCH DONE"' "$log" && break
  sleep 1
done
grep -a '"BENCH ' "$log" | grep -v 'BENCH DONE' | sed -E 's/.*"BENCH (.*)", source: .*/\1/'
