#!/usr/bin/env bash
# Fuzzes one parser of outside input with afl-fuzz for a bounded time, then keeps each crash as a corpus file that the
# unit tests replay in CI (tests/Unit/Fuzz/FuzzCorpusTests.cs).
# Usage: scripts/fuzz.sh TARGET SECONDS      (targets: tests/Fuzz/FuzzTargets.cs; seeds: tests/Fuzz/Seeds/TARGET/)
# Needs Debian's afl++ (apt-get install afl++) and the sharpfuzz tool of dotnet-tools.json (dotnet tool restore).
# Work files go to ${FUZZ_WORK:-/tmp/pocket-tts-fuzz}/TARGET; nothing outside it and the corpus folder is changed.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
seeds=tests/Fuzz/Seeds/$target
corpus=tests/Unit/TestData/fuzz/$target
work=${FUZZ_WORK:-/tmp/pocket-tts-fuzz}/$target
[[ -d $seeds ]] || { echo "unknown target '$target' (no $seeds)" >&2; exit 2; }
command -v afl-fuzz > /dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }

# Instrument a private copy: sharpfuzz rewrites assemblies in place, and an instrumented Core must never reach a
# normal build. Our parsers live in Core and the host; MP3 decoding in NLayer, YAML in YamlDotNet.
dotnet build tests/Fuzz -c Release -nologo -v q
rm -rf "$work" && mkdir -p "$work"
cp -r tests/Fuzz/bin/Release/net10.0 "$work/bin"
dotnet tool restore > /dev/null
for assembly in PocketTts.Core.dll pocket-tts.dll NLayer.dll YamlDotNet.dll; do
  dotnet tool run sharpfuzz "$work/bin/$assembly" > /dev/null
done

# .NET is not compiled by afl's compilers (SKIP_BIN_CHECK); the machine is shared (NO_AFFINITY, SKIP_CPUFREQ); a
# crash is an exception SharpFuzz reports, not a core dump (MISSING_CRASHES). The time limit covers the JIT's start.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
afl-fuzz -i "$seeds" -o "$work/findings" -t 10000 -m none -V "$seconds" -- dotnet "$work/bin/PocketTts.Fuzz.dll" "$target" \
  > "$work/afl.log" 2>&1 || { tail -30 "$work/afl.log" >&2; exit 1; }

stats=$work/findings/default/fuzzer_stats
mkdir -p "$corpus"
kept=0
for crash in "$work"/findings/default/crashes/id:*; do
  [[ -e $crash ]] || continue
  name=crash-$(sha1sum "$crash" | cut -c1-12)
  [[ -e $corpus/$name ]] || { cp "$crash" "$corpus/$name"; kept=$((kept + 1)); }
done
rmdir --ignore-fail-on-non-empty "$corpus"
echo "$target: ran ${seconds}s, $(awk -F' *: ' '$1 == "execs_done" { print $2 }' "$stats") executions," \
  "$(awk -F' *: ' '$1 == "corpus_count" { print $2 }' "$stats") paths," \
  "$(awk -F' *: ' '$1 == "saved_crashes" { print $2 }' "$stats") crashes ($kept new in $corpus)," \
  "$(awk -F' *: ' '$1 == "saved_hangs" { print $2 }' "$stats") hangs (in $work/findings/default/hangs)"
