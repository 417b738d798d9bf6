#!/usr/bin/env bash
# Tokenizer throughput of this checkout against another git revision, measured alternately in the same session
# (BenchmarkDotNet, --inProcess): REF, this checkout, REF, this checkout. Prints each run's summary table.
#
#   benchmarks/scripts/compare-tokenizers.sh [REF] [FILTER]     # REF defaults to origin/main or main; FILTER to '*Tokenizer*'
#
# Needs ../shared/data beside the checkout (BLiMP sentences, GPT-2 and Llama-2 tokenizers). Report `cat /proc/loadavg`
# with the figures: on a shared machine the alternation is what makes the ratio meaningful.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
ref="${1:-main}"
filter="${2:-*Tokenizer*}"
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/ref" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/ref" "$ref" >/dev/null
ln -s "$(cd "$root/.." && pwd)/shared" "$work/shared"
for dir in "$work/ref" "$root"; do
  dotnet build "$dir/benchmarks/Mlrb.Benchmarks" -c Release -v q >/dev/null
done
for round in 1 2; do
  for dir in "$work/ref" "$root"; do
    label=$([ "$dir" = "$root" ] && echo "this checkout" || echo "$ref")
    echo "=== round $round: $label (load $(cut -d' ' -f1-3 /proc/loadavg))"
    (cd "$dir" && dotnet run -c Release --no-build --project benchmarks/Mlrb.Benchmarks -- --filter "$filter" --inProcess 2>&1 \
      | sed -n '/^| Method/,/^$/p')
  done
done
