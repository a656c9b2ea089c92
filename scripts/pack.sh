#!/usr/bin/env bash
# Builds the NuGet packages into artifacts/packages (or $1): PocketTts, PocketTts.Core, PocketTts.Abstractions,
# PocketTts.Backends.Conformance (the kit a backend plugin's tests reference), PocketTts.Graphs.Onnx (the ONNX graph
# recorder a graph backend references),
# PocketTts.Backends.Managed and the PocketTts.Cli tool, each with its symbols package, and the plugin packages that
# `pocket-tts plugins add` installs: PocketTts.Backends.Onnx (linux-x64, linux-arm64, win-x64, osx-arm64),
# PocketTts.Backends.OnnxCuda and PocketTts.Backends.Torch (linux-x64: the native packages they use ship no other).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
rm -rf "$out"
# The tool package globs the host's publish folder: start it empty, so nothing of an earlier publish rides along.
rm -rf src/PocketTts.Host/bin/Release/net10.0/publish
# Plugin builds share artifacts/plugins between configurations, and test folders hard-link those files: a coverage run
# (coverlet) instruments them in place. Unlink them, so the packages take fresh Release assemblies.
rm -rf artifacts/plugins
# Build first, then pack what was built: packing a fresh clone in one step builds the plugin projects more than once
# into their shared output folder, and a package could take a half-written assembly.
dotnet build PocketTts.sln -c Release -nologo -v q
# The solution build made the plugins for this machine's runtime; the onnx package carries every runtime ONNX Runtime's
# CPU package has a library for.
for rid in linux-x64 linux-arm64 win-x64 osx-arm64; do
  [ -d "artifacts/plugins/$rid/onnx" ] || dotnet build src/PocketTts.Backends.Onnx -c Release -r "$rid" -nologo -v q
done
# Each of those restores wrote assets for its runtime only: restore the solution's again before packing it.
dotnet restore PocketTts.sln -nologo -v q
dotnet pack PocketTts.sln -c Release --no-build -o "$out" -nologo -v q
ls "$out"
