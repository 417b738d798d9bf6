#!/usr/bin/env bash
# Compares Mlrb.Eval's CPU engine with PyTorch eager (Debian's torch 1.13 on OpenBLAS) on this machine, in one run:
#   gemm   fp32 GEMMs (1024^3 and the shapes scoring runs) at THREADS threads: torch.matmul vs Gemm.Multiply with every kernel
#          this CPU supports (avx512, avx2, the portable vector128 one that ARM64 gets, scalar)
#   gpt2   200 BLiMP-like requests on a random GPT-2-small-shaped fp32 model: PyTorch at batch 1, 8, 32, 64 (length-sorted,
#          right-padded) at THREADS threads and at 1 thread, vs the engine's scheduler at THREADS threads
#   tiny   SuperGLUE-0-shot-like requests (40-250 token contexts, 1-2 token continuations) on the 260K-parameter Llama shape
#          (hidden 64, 5 layers, 512 positions), one thread each: a plain PyTorch eager loop (batch 1) and batches 8/32, vs the engine
#   llama1b, phi2x4  (issue 13's throughput table; not in the default set, need ~10 GB of free memory) a random TinyLlama-1.1B-shaped
#          bf16 model and a phi-2-shaped bf16 model with 4 of its 32 layers: PyTorch fp32 and bf16 vs the engine's fp32 compute over
#          bf16-resident weights and its opt-in --dtype bf16 path
# Before timing PyTorch the script sets OPENBLAS_CORETYPE for this CPU (Debian's OpenBLAS may not recognise a new CPU and fall back
# to its SSE3 "Prescott" kernels) and prints the kernel OpenBLAS reports (OPENBLAS_VERBOSE=2). An OPENBLAS_CORETYPE already set wins.
# Usage: benchmarks/scripts/compare-torch.sh [requests=200] [threads=2] [sections=gemm,gpt2,tiny]
#   e.g. flock /work/coord/bigmem.lock benchmarks/scripts/compare-torch.sh 16 2 llama1b,phi2x4
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS="${1:-200}"
THREADS="${2:-2}"
SECTIONS=",${3:-gemm,gpt2,tiny},"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PY="/usr/bin/python3 -u"
SCRIPTS=benchmarks/scripts

# ---------------------------------------------------------------------------------------------- the OpenBLAS kernel for this CPU
openblas_coretype() {
  local flags vendor
  flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
  vendor="$(grep -m1 '^vendor_id' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | tr -d ' ')"
  has() { [[ "$flags" == *" $1 "* ]]; }
  if has avx512_bf16 && has avx512vl; then echo Cooperlake    # SkylakeX's SGEMM kernels plus the bf16 ones
  elif has avx512f && has avx512vl && has avx512bw && has avx512dq; then echo SkylakeX
  elif has avx2 && has fma && [ "$vendor" = AuthenticAMD ]; then echo Zen
  elif has avx2 && has fma; then echo Haswell
  fi                                                          # anything else (ARM64 too): OpenBLAS's own detection
}
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  detected="$(openblas_coretype)"
  [ -n "$detected" ] && export OPENBLAS_CORETYPE="$detected"
fi
# shellcheck disable=SC2016
kernel="$(OPENBLAS_VERBOSE=2 $PY -c 'import torch; (torch.ones(64, 64) @ torch.ones(64, 64)).sum()' 2>&1 | grep -m1 '^Core:' | cut -d' ' -f2 || true)"
echo "== CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== OpenBLAS: OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<unset>}, kernel in use: ${kernel:-unknown (OPENBLAS_VERBOSE printed nothing)}"
if [ "${kernel:-}" = Prescott ]; then
  echo "warning: OpenBLAS runs its SSE3 Prescott kernel; PyTorch's figures below are not its best on this CPU" >&2
fi

# MLRB_BENCH: an already built benchmark command (e.g. "dotnet /path/Mlrb.Benchmarks.dll") instead of building this tree.
if [ -z "${MLRB_BENCH:-}" ]; then
  dotnet build benchmarks/Mlrb.Benchmarks -c Release -v quiet -nologo >/dev/null
fi
BENCH="${MLRB_BENCH:-dotnet benchmarks/Mlrb.Benchmarks/bin/Release/net10.0/Mlrb.Benchmarks.dll}"
MAX_SECONDS="${TORCH_MAX_SECONDS:-240}"   # large models: stop a PyTorch configuration after this long (tokens/s of what was done)
LOG="$WORK/log"
run() { "$@" 2>&1 | tee -a "$LOG"; }
section() { echo "== $*" | tee -a "$LOG"; }

if [[ "$SECTIONS" == *,gemm,* ]]; then
  section "fp32 GEMM C[M,N] = A[M,K]·B[K,N], $THREADS threads, best of up to 50"
  for shape in 1024x1024x1024 512x768x2304 512x3072x768 256x64x172; do
    run $PY - "$THREADS" "$shape" <<'PYEOF'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
m, k, n = (int(x) for x in sys.argv[2].split("x"))
a, b = torch.rand(m, k), torch.rand(k, n)
best, start, i = 1e9, time.perf_counter(), 0
while i < 50 and (i < 5 or time.perf_counter() - start < 2):
    t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t); i += 1
print(f"torch gemm {sys.argv[2]} threads={sys.argv[1]}: {best*1e3:.3f} ms, {2*m*k*n/best/1e9:.1f} GFLOP/s")
PYEOF
    run $BENCH gemm "$shape" "$THREADS" all
  done
fi

if [[ "$SECTIONS" == *,gpt2,* ]]; then
  section "Scoring, GPT-2-small shape (fp32), $REQUESTS BLiMP-like requests"
  $PY $SCRIPTS/torch_scoring.py --folder "$WORK/gpt2" --make gpt2-small --requests "$REQUESTS" --write-only
  run $PY $SCRIPTS/torch_scoring.py --folder "$WORK/gpt2" --requests "$REQUESTS" --threads "$THREADS"
  # Debian's torch mixes OpenMP threads with OpenBLAS's own pthreads; on 2 cores that can oversubscribe, so one thread is measured too.
  if [ "$THREADS" != 1 ]; then
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 run $PY $SCRIPTS/torch_scoring.py --folder "$WORK/gpt2" --requests "$REQUESTS" --threads 1
  fi
  run $BENCH score "$WORK/gpt2" "$WORK/gpt2/requests.json" "$THREADS"
  rm -rf "$WORK/gpt2"
fi

if [[ "$SECTIONS" == *,tiny,* ]]; then
  section "Scoring, 260K-parameter Llama shape (hidden 64, 5 layers), $REQUESTS SuperGLUE-like requests, 1 thread"
  $PY $SCRIPTS/torch_scoring.py --folder "$WORK/tiny" --make tiny-llama --kind superglue --requests "$REQUESTS" --write-only
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 run $PY $SCRIPTS/torch_scoring.py --folder "$WORK/tiny" --kind superglue --requests "$REQUESTS" --threads 1 --batches 1,8,32
  run $BENCH score "$WORK/tiny" "$WORK/tiny/requests.json" 1
fi

large() { # name, make_random_llama.py arguments...
  local name="$1"; shift
  section "Scoring, $name (random bf16 weights), $REQUESTS BLiMP-like requests, $THREADS threads"
  $PY $SCRIPTS/make_random_llama.py "$WORK/$name" "$@"
  $PY $SCRIPTS/torch_scoring.py --folder "$WORK/$name" --requests "$REQUESTS" --write-only
  for dtype in fp32 bf16; do
    run $PY $SCRIPTS/torch_scoring.py --folder "$WORK/$name" --requests "$REQUESTS" --threads "$THREADS" --dtype "$dtype" --batches 1,8 --max-seconds "$MAX_SECONDS"
  done
  run $BENCH score "$WORK/$name" "$WORK/$name/requests.json" "$THREADS"
  run $BENCH score "$WORK/$name" "$WORK/$name/requests.json" "$THREADS" bf16
  rm -rf "${WORK:?}/$name"
}
if [[ "$SECTIONS" == *,llama1b,* ]]; then
  large llama1b --layers 22 --hidden 2048 --intermediate 5632 --heads 32 --kv-heads 4 --vocab 32000
fi
if [[ "$SECTIONS" == *,phi2x4,* ]]; then
  large phi2x4 --arch phi --layers 4 --hidden 2560 --intermediate 10240 --heads 32 --vocab 51200
fi

echo "== Summary (same run; ratio = Mlrb / PyTorch)"
$PY - "$LOG" <<'PYEOF'
import re, sys
sections, current = [], None
for l in open(sys.argv[1]).read().splitlines():
    if l.startswith("== "):
        current = {"title": l[3:], "gemm": {}, "torch": {}, "mlrb": []}
        sections.append(current)
        continue
    m = re.match(r"(torch|mlrb) gemm (\S+)( kernel=(\S+))? threads=\d+: .* ([\d.]+) GFLOP/s", l)
    if m:
        current["gemm"].setdefault(m.group(2), {})[m.group(4) or "torch"] = float(m.group(5))
    m = re.match(r"torch (\S+) batch=(\d+): .* = ([\d.]+) tokens/s wall.*threads=(\d+)", l)
    if m:
        current["torch"].setdefault(m.group(1), []).append((float(m.group(3)), f"batch {m.group(2)}, {m.group(4)} thread(s)"))
    m = re.match(r"mlrb score: .* = ([\d.]+) tokens/s wall.*\(threads=(\d+)(, ([^)]*))?\)", l)
    if m:
        current["mlrb"].append((float(m.group(1)), f"{m.group(2)} thread(s){', ' + m.group(4) if m.group(4) else ''}"))
for s in sections:
    print(s["title"])
    for shape, r in s["gemm"].items():
        t = r.get("torch")
        print(f"  GEMM {shape}: torch {t} GFLOP/s; " + ", ".join(f"mlrb {k} {v} ({v / t:.2f}x)" for k, v in r.items() if k != "torch" and t))
    for ours, how in s["mlrb"]:
        for dtype, rows in s["torch"].items():
            best = max(rows)
            print(f"  mlrb {ours:.1f} tok/s ({how}) vs torch {dtype} at its best {best[0]:.1f} tok/s ({best[1]}): {ours / best[0]:.2f}x")
PYEOF
