#!/usr/bin/env bash
# Runs every test project with line coverage, then prints the coverage total and "N passed, N failed".
# Usage: scripts/test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet build PocketTts.sln -nologo -v q || exit 1
dotnet test PocketTts.sln --no-build -nologo \
  --settings scripts/coverage.runsettings \
  --collect "XPlat Code Coverage" \
  --results-directory "$results" \
  --logger "trx" "$@"
status=$?

# The managed backend picks its kernels from the CPU: run the parity suite again on each narrower instruction-set path
# the JIT can be limited to (AVX2 without AVX-512, 128-bit vectors as on ARM64, and no SIMD at all), so a machine
# with AVX-512 also checks what most users run. LibTorch is limited alike (ATEN_CPU_CAPABILITY); ONNX Runtime cannot
# be, see docs/quantization.md. On a CPU without AVX-512 the first run repeats the default one.
for isa in DOTNET_EnableAVX512F:avx2 DOTNET_EnableAVX2:default DOTNET_EnableHWIntrinsic:default; do
  echo "tests/Parity with ${isa%%:*}=0, ATEN_CPU_CAPABILITY=${isa##*:}"
  env "${isa%%:*}=0" "ATEN_CPU_CAPABILITY=${isa##*:}" dotnet test tests/Parity --no-build -nologo --results-directory "$results" \
    --logger "trx;LogFileName=parity-${isa%%:*}.trx" "$@" || status=1
  # What bench and `pocket-tts backends` say the kernels run must follow the same switch.
  env "${isa%%:*}=0" dotnet test tests/Unit --no-build -nologo --filter "FullyQualifiedName~BenchReportTests" \
    --results-directory "$results" --logger "trx;LogFileName=kernels-${isa%%:*}.trx" "$@" || status=1
done

if dotnet tool run reportgenerator "-reports:$results/**/coverage.cobertura.xml" "-targetdir:$results/coverage" \
     "-reporttypes:TextSummary" >/dev/null 2>&1; then
  grep -E "^\s*Line coverage:" "$results/coverage/Summary.txt" | sed 's/^ */Line coverage total: /; s/Line coverage total: Line coverage:/Line coverage total:/'
else
  echo "Line coverage total: unavailable (reportgenerator failed)"
fi

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
