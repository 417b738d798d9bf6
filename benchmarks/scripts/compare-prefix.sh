#!/usr/bin/env bash
# Prefix sharing on MMLU-5-shot-like requests, in one run on this machine, on a GPT-2-small-shaped random fp32 model:
#   mlrb's nested prefix-sharing scheduler (5-shot block once per subject, each question once under it),
#   mlrb's previous single-level scheduler (only the choices of one question share their context),
#   PyTorch eager computing every request in full (batch 1 and length-sorted batches), and one pass per question.
# Usage: benchmarks/scripts/compare-prefix.sh [subjects=2] [questions=10] [threads=2] [torch batches=1,8] [torch sample=16] [--with-unshared]
# PyTorch computes every request in full and independently, so it is timed on an evenly spaced sample of the requests (0: all).
# OPENBLAS_CORETYPE is set for this CPU (SkylakeX with AVX-512, Haswell with AVX2) unless already set; OpenBLAS prints the core it runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUBJECTS="${1:-2}"
QUESTIONS="${2:-10}"
THREADS="${3:-2}"
BATCHES="${4:-1,8}"
SAMPLE="${5:-16}"
EXTRA="${6:-}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell
  fi
fi
echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; OpenBLAS reports: $(OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import torch' 2>&1 | grep -m1 -i core || echo 'nothing')"

dotnet build benchmarks/Mlrb.Benchmarks -c Release -v quiet -nologo >/dev/null
BENCH="dotnet benchmarks/Mlrb.Benchmarks/bin/Release/net10.0/Mlrb.Benchmarks.dll"
PY="/usr/bin/python3 -u"
cd benchmarks/scripts
$PY torch_kshot_scoring.py --folder "$WORK/gpt2-small-random" --subjects "$SUBJECTS" --questions "$QUESTIONS" --threads "$THREADS" --write-only
cd ../..
echo "== mlrb ($THREADS threads)"
$BENCH prefix-score "$WORK/gpt2-small-random" "$WORK/gpt2-small-random/requests.json" "$THREADS" $EXTRA
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') eager ($THREADS threads)"
cd benchmarks/scripts
$PY torch_kshot_scoring.py --folder "$WORK/gpt2-small-random" --subjects "$SUBJECTS" --questions "$QUESTIONS" --threads "$THREADS" --batches "$BATCHES" --sample "$SAMPLE"
