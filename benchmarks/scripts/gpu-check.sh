#!/usr/bin/env bash
# The prepared GPU check (issue 15): one command on a machine with one NVIDIA GPU, no .NET SDK and no network. It runs a self-contained
# publish of the mlrb CLI made beforehand and writes ONE JSON file of figures:
#   parity           log-likelihoods of the tiny reference models (tests/reference/models), fp32, device vs --device cpu: |diff| <= 1e-4
#                    and identical greedy flags (every reference model, in both modes)
#   slices           identical predictions, CPU backend vs device, on BLiMP pairs and MMLU 5-shot questions built from --data
#   throughput       mlrb vs PyTorch eager on the same device, fp32 and bf16, PyTorch at batch 1, 8 (the harness's) and 32/64
#                    (its best), GPT-2-small-shaped and Llama-1B-shaped random models, BLiMP-like and MMLU-5-shot-like requests
#   blimp_all_pairs  all 67,000 BLiMP-shaped pairs (134,000 requests) on the GPT-2-small shape, wall time
#   device memory    per-process peak from nvidia-smi (mlrb) and torch.cuda.max_memory_allocated (PyTorch), in each step
# Needs: python3 (standard library; PyTorch optional: without it the PyTorch figures are skipped with a note), nvidia-smi optional.
#
# Build the CLI beforehand, on any x86-64 Linux machine with the .NET 10 SDK (from the repository root):
#   dotnet publish src/Mlrb.Cli -c Release -r linux-x64 --self-contained -p:DebugType=none -o artifacts/mlrb-linux-x64
# (untrimmed: ILGPU does not survive trimming; see docs/eval-engine.md, "The GPU check")
# then copy the repository (or benchmarks/scripts, tests/reference/models) and artifacts/mlrb-linux-x64 to the GPU machine and run
#   benchmarks/scripts/gpu-check.sh --mlrb artifacts/mlrb-linux-x64/mlrb [--data DIR] [--out gpu-check.json]
# It stops itself after --budget seconds (default 450, so it finishes in under 8 minutes) and keeps the figures measured so far.
#
# Usage: gpu-check.sh [--mlrb CMD] [--device cuda|cuda:N|ilgpu-cpu|cpu] [--out FILE] [--data DIR] [--budget S] [--scale auto|tiny|full] [--skip-torch]
#   --device ilgpu-cpu (or cpu) runs the same steps on tiny models only (ILGPU's CPU accelerator): that mode runs in CI so the script cannot rot.
#   --mlrb may be a command line, e.g. "dotnet src/Mlrb.Cli/bin/Release/net10.0/Mlrb.Cli.dll". Exit status: 0 parity passed, 1 failed, 2 bad usage.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MLRB="${MLRB:-$ROOT/artifacts/mlrb-linux-x64/mlrb}"
DEVICE=cuda
OUT="gpu-check-$(date -u +%Y%m%dT%H%M%SZ).json"
DATA=""
BUDGET=450
SCALE=auto
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mlrb) MLRB="$2"; shift 2 ;;
    --device) DEVICE="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --skip-torch) EXTRA+=(--skip-torch); shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
PYTHON="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$PYTHON" ]; then echo "gpu-check: python3 is needed (standard library only)" >&2; exit 2; fi
read -r -a MLRB_ARGV <<< "$MLRB"
if ! command -v "${MLRB_ARGV[0]}" >/dev/null 2>&1 && [ ! -x "${MLRB_ARGV[0]}" ]; then
  echo "gpu-check: no mlrb at '${MLRB_ARGV[0]}'; publish it first (see the top of this script) or pass --mlrb" >&2; exit 2
fi
if [ -z "$DATA" ] && [ -d "$ROOT/../shared/data/benchmarks" ]; then DATA="$ROOT/../shared/data/benchmarks"; fi
if [ -z "$DATA" ] && [ -d "$ROOT/shared/data/benchmarks" ]; then DATA="$ROOT/shared/data/benchmarks"; fi

# A self-contained .NET app needs libicu unless globalization is invariant (mlrb formats and parses with the invariant culture).
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'; then export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1; fi
# fp32 stays fp32 on both sides (no TF32 in cuBLAS or PyTorch), so the parity and throughput figures compare the same arithmetic.
export NVIDIA_TF32_OVERRIDE=0
# cuBLAS from PyTorch's NVIDIA wheels when no system libcublas is on the loader path (CUDA 13: nvidia/cu13/lib; CUDA 12: nvidia/cublas/lib).
if [ -z "${MLRB_CUBLAS_PATH:-}" ]; then
  MLRB_CUBLAS_PATH="$("$PYTHON" - <<'PYEOF' 2>/dev/null || true
import glob, os, sys
dirs = []
for base in sys.path:
    for sub in ("nvidia/cu13/lib", "nvidia/cublas/lib"):
        d = os.path.join(base, sub)
        if glob.glob(os.path.join(d, "libcublas.so*")):
            dirs.append(d)
print(":".join(dict.fromkeys(dirs)))
PYEOF
)"
  export MLRB_CUBLAS_PATH
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlrb-gpu-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
echo "gpu-check: device $DEVICE, budget ${BUDGET}s, mlrb: $MLRB, data: ${DATA:-none}, cuBLAS path: ${MLRB_CUBLAS_PATH:-loader default}" >&2
set +e
timeout --kill-after=15 "$((${BUDGET%.*} + 30))" "$PYTHON" "$ROOT/benchmarks/scripts/gpu_check.py" \
  --mlrb "$MLRB" --device "$DEVICE" --out "$OUT" --models "$ROOT/tests/reference/models" ${DATA:+--data "$DATA"} \
  --work "$WORK" --budget "$BUDGET" --scale "$SCALE" "${EXTRA[@]}"
status=$?
set -e
if [ ! -f "$OUT" ]; then echo "gpu-check: no report written (status $status)" >&2; exit 1; fi
exit "$status"
