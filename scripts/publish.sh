#!/usr/bin/env bash
# Publishes pocket-tts as a self-contained single-file executable for runtime $1 (linux-x64, linux-arm64, win-x64,
# osx-arm64, …) into artifacts/publish/<rid> (or $2), with the backend plugins built for that runtime beside it in
# plugins/ (managed and onnx everywhere; torch and onnx-cuda on linux-x64 only). No .NET is needed where it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:?usage: scripts/publish.sh RID [OUTPUT]   (RID: linux-x64, linux-arm64, win-x64, osx-arm64, …)}"
out="${2:-artifacts/publish/$rid}"
rm -rf "$out"
dotnet publish src/PocketTts.Host -c Release -r "$rid" --self-contained true -p:PublishSingleFile=true \
  -o "$out" -nologo -v q
ls "$out"
