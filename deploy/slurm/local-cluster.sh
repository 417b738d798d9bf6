#!/usr/bin/env bash
# Starts (or stops) a single-node Slurm cluster on this machine for tests and trials: munge, slurmctld and slurmd from
# Debian's slurm-wlm and munge packages, one node with this machine's CPUs and memory, no GPUs, state under a folder.
# Usage: deploy/slurm/local-cluster.sh start|stop [STATE_DIR]   (as root; prints the SLURM_CONF to export on start)
set -euo pipefail
action="${1:-start}"
state="${2:-/tmp/mlrb-slurm}"
conf="$state/slurm.conf"

stop() {
  local name pid
  for name in slurmd slurmctld munged; do
    [ -f "$state/$name.pid" ] || continue
    pid="$(cat "$state/$name.pid")"
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  return 0
}

if [ "$action" = "stop" ]; then stop; exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "local-cluster.sh: must run as root (slurmd runs jobs as their users)" >&2; exit 2; fi
for program in munged slurmctld slurmd sbatch; do
  command -v "$program" >/dev/null 2>&1 || { echo "local-cluster.sh: $program not found (apt-get install slurm-wlm munge)" >&2; exit 2; }
done

stop
mkdir -p "$state"/{spool,ctld,munge,log}
chmod 700 "$state/munge"
host="$(hostname -s)"
cpus="$(nproc)"
memory_mb="$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))"

# munge: its own key and socket under the state folder, so a system munge (if any) is left alone.
[ -f "$state/munge/munge.key" ] || dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$state/munge/munge.key"
munged --force --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
  --pid-file="$state/munged.pid" --log-file="$state/log/munged.log" --seed-file="$state/munge/seed"

cat > "$conf" <<CONF
ClusterName=mlrb-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$conf"
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE 'idle|mixed|allocated'; then
    echo "SLURM_CONF=$conf"
    exit 0
  fi
  sleep 1
done
echo "local-cluster.sh: the node did not come up; see $state/log" >&2
exit 1
