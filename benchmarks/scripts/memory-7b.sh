#!/usr/bin/env bash
# Peak memory and load time of a 7B-shaped bf16 Llama (hidden 4096, intermediate 11008, 32 layers, 32k vocabulary, untied head:
# 6.7e9 parameters, 12.6 GiB), generated with random weights at benchmark time (not committed) and scored with `mlrb score`.
# Reports: the benchmark harness's load time and peak RSS while loading and while scoring, then `mlrb score` end to end
# under /usr/bin/time -v (peak RSS, wall time). Needs ~13 GiB free disk and ~15 GiB free memory; on a shared machine run it as
#   flock /work/coord/bigmem.lock benchmarks/scripts/memory-7b.sh
# Usage: benchmarks/scripts/memory-7b.sh [layers=32] [threads=2]    (fewer layers scale the model down; the script says so)
set -euo pipefail
cd "$(dirname "$0")/../.."
LAYERS="${1:-32}"
THREADS="${2:-2}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlrb-7b.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
NEED_GB=$(( (LAYERS * 405 + 500) / 1000 + 1 ))
FREE_GB=$(df -BG --output=avail "$WORK" | tail -1 | tr -dc 0-9)
if (( FREE_GB < NEED_GB )); then
  echo "only ${FREE_GB} GB free in $WORK, the model needs ${NEED_GB} GB; pass fewer layers" >&2
  exit 1
fi
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
dotnet build benchmarks/Mlrb.Benchmarks -c Release -v quiet -nologo >/dev/null
dotnet build src/Mlrb.Cli -c Release -v quiet -nologo >/dev/null
clock=$(date +%s)
/usr/bin/python3 benchmarks/scripts/make_random_llama.py "$WORK/llama-7b-bf16" --layers "$LAYERS"
echo "generated in $(( $(date +%s) - clock )) s; weight file $(stat -c %s "$WORK/llama-7b-bf16/model.safetensors") bytes"
echo '[[[1, 306, 4966, 304, 1045, 278, 3186, 29889], [450, 1021, 338, 263]]]' > "$WORK/requests.json"
sync
echo "== load and score one request (Mlrb.Benchmarks score, threads=$THREADS)"
dotnet benchmarks/Mlrb.Benchmarks/bin/Release/net10.0/Mlrb.Benchmarks.dll score "$WORK/llama-7b-bf16" "$WORK/requests.json" "$THREADS"
echo "== mlrb score end to end (/usr/bin/time -v)"
/usr/bin/time -v dotnet src/Mlrb.Cli/bin/Release/net10.0/mlrb.dll score --model "$WORK/llama-7b-bf16" \
  --context-tokens 1,306,4966,304,1045,278,3186,29889 --continuation-tokens 450,1021,338,263 --threads "$THREADS" 2> "$WORK/time.txt"
grep -E "Maximum resident set size|Elapsed \(wall clock\)" "$WORK/time.txt"
