#!/usr/bin/env bash
# Recreates ref.wav, the voice-cloning sample used by tests and examples: synthetic English speech from
# espeak-ng (apt-get install espeak-ng sox), resampled to 24 kHz mono 16-bit with sox.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp --suffix=.wav)
trap 'rm -f "$tmp"' EXIT
espeak-ng -v en-us -s 150 -w "$tmp" \
  "Hello, this is a short recording of my voice. The quick brown fox jumps over the lazy dog, and then it rests in the warm afternoon sun."
sox "$tmp" -r 24000 -c 1 -b 16 ref.wav
