#!/usr/bin/env bash
# Compares Mlrb.Eval's CPU engine with PyTorch eager on this machine, in one run:
#   1. fp32 GEMM 1024x1024x1024 on 2 threads (torch.matmul vs Gemm.Multiply)
#   2. scoring a GPT-2-small-shaped random fp32 model on BLiMP-like requests
#      (PyTorch one request per pass and right-padded batches of 8, vs mlrb's scheduler)
# Usage: benchmarks/scripts/compare-torch.sh [requests=2000] [threads=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS="${1:-2000}"
THREADS="${2:-2}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PY="/usr/bin/python3 -u"

dotnet build benchmarks/Mlrb.Benchmarks -c Release -v quiet -nologo >/dev/null
BENCH="dotnet benchmarks/Mlrb.Benchmarks/bin/Release/net10.0/Mlrb.Benchmarks.dll"

echo "== GEMM 1024^3, $THREADS threads"
$PY - "$THREADS" <<'PYEOF'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(20))  # best of 20
print(f"torch gemm 1024^3 threads={sys.argv[1]}: {best*1e3:.2f} ms, {2*1024**3/best/1e9:.1f} GFLOP/s")
PYEOF
$BENCH gemm 1024 "$THREADS"

echo "== Scoring, GPT-2-small shape, $REQUESTS BLiMP-like requests"
$PY benchmarks/scripts/torch_scoring.py --folder "$WORK/gpt2-small-random" --requests "$REQUESTS" --threads "$THREADS"
# Debian's torch mixes OpenMP threads with OpenBLAS's own pthreads; on a 2-core machine that oversubscribes and
# runs slower than one thread. Measure PyTorch's single-thread configuration too and compare against its best.
echo "(PyTorch again with one OpenMP and one OpenBLAS thread)"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $PY benchmarks/scripts/torch_scoring.py --folder "$WORK/gpt2-small-random-1t" --requests "$REQUESTS" --threads 1
$BENCH score "$WORK/gpt2-small-random" "$WORK/gpt2-small-random/requests.json" "$THREADS"
echo "fp32 weight bytes: $(stat -c %s "$WORK/gpt2-small-random/model.safetensors")"
