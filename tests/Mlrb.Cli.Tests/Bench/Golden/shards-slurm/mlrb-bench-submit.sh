#!/bin/bash
# Submits the bench: the runs, the evaluation shards once all runs have ended, the merges once all shards have ended.
# Usage: MLRB_DB=postgres://mlrb@db-host/mlrb bash mlrb-bench-submit.sh [sbatch options for the merge job, e.g. --wait]
set -euo pipefail
: "${MLRB_DB:?MLRB_DB must name the shared run store, e.g. postgres://mlrb@db-host/mlrb}"
jobs="$(cd "$(dirname "$0")" && pwd)"
runs="$(sbatch --parsable "$jobs/mlrb-bench.sbatch")"
runs="${runs%%;*}"
echo "runs: job $runs"
eval="$(sbatch --parsable --dependency=afterany:"$runs" --kill-on-invalid-dep=yes --export=ALL,MLRB_RUNS_JOB_ID="$runs" "$jobs/mlrb-bench-eval.sbatch")"
eval="${eval%%;*}"
echo "evaluation shards: job $eval (after $runs)"
merge="$(sbatch --parsable --dependency=afterany:"$eval" --kill-on-invalid-dep=yes --export=ALL,MLRB_RUNS_JOB_ID="$runs" "$@" "$jobs/mlrb-bench-merge.sbatch")"
echo "merges: job ${merge%%;*} (after $eval); then: mlrb results"
