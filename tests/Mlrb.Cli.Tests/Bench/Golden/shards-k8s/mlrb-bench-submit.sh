#!/bin/sh
# Applies the bench's Jobs in order: the runs, the evaluation shards once the runs have ended, the merges once the shards have.
# Usage: sh mlrb-bench-submit.sh   (the Secret and the workspace claim must exist; POLL seconds between checks, default 30)
set -eu
jobs="$(cd "$(dirname "$0")" && pwd)"
finished() {
  while :; do
    state="$(kubectl get job "$1" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')"
    case " $state " in
      *" Complete "*) echo "job $1 complete"; return 0 ;;
      *" Failed "*) echo "job $1 finished with failed indexes (see its pods' logs); going on" >&2; return 0 ;;
    esac
    sleep "${POLL:-30}"
  done
}
kubectl apply -f "$jobs/mlrb-bench-job.yaml"
finished golden
kubectl apply -f "$jobs/mlrb-bench-eval-job.yaml"
finished golden-eval
kubectl apply -f "$jobs/mlrb-bench-merge-job.yaml"
finished golden-merge
echo "done: mlrb results (with the same MLRB_DB) shows the scores"
