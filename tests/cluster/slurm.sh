#!/usr/bin/env bash
# slurm.sh POOLSIM_BINARY [SCENARIO]: a sharded sweep on a real Slurm
# cluster gives the same tables as one local sweep, byte for byte.
#
# Brings up a private one-node cluster in a temporary directory (munged,
# slurmctld and slurmd, each with its own key, socket, ports, state and
# logs; nothing under /etc is read or written), runs a small sweep locally
# with -j 1, runs it again as a 4-task job array of
# examples/slurm/sweep.sbatch followed by a dependent `poolsim merge` job,
# and compares runs.csv, points.csv, compare.csv and sweep.json with cmp.
#
# Installs slurm-wlm and munge from Debian when they are missing (as
# root).  Exit status: 0 pass, 1 fail (the daemons' logs and the jobs'
# output are printed), 2 usage, 77 skipped (not root).  Every daemon is
# stopped by its PID and the temporary directory removed on any exit.
#
# Environment: SLURM_TEST_TIMEOUT (seconds to wait for the jobs, default
# 180), SLURM_TEST_KEEP=1 (keep the temporary directory).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
sbatch_script=$root/examples/slurm/sweep.sbatch

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 POOLSIM_BINARY [SCENARIO]" >&2
  exit 2
fi
if [ ! -x "$1" ] || [ -d "$1" ]; then
  echo "slurm.sh: $1: not an executable file" >&2
  exit 2
fi
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scenario=${2:-$root/scenarios/default.json}
if [ ! -f "$scenario" ]; then
  echo "slurm.sh: $scenario: no such file" >&2
  exit 2
fi
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")

# A small sweep: 3 x 2 points, 3 replications, 18 runs.
sweep_args='--vary server.workers=20:30:5 --vary server.quota.algorithm=fixed_window,gcra --reps 3 --set duration=60s --no-plots'
ntasks=4
wait_s=${SLURM_TEST_TIMEOUT:-180}
tables='runs.csv points.csv compare.csv sweep.json'

say() { echo "slurm.sh: $*"; }
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

t_start=$(now)

# --- Slurm and munge ------------------------------------------------------
export PATH=$PATH:/usr/sbin:/sbin
needed='munged munge unmunge slurmctld slurmd sbatch sinfo scontrol scancel squeue'
missing() {
  local c
  for c in $needed; do
    command -v "$c" >/dev/null 2>&1 || return 0
  done
  return 1
}
if [ "$(id -u)" != 0 ]; then
  if missing; then
    echo "skipped: slurm-wlm or munge is not installed and only root can install it"
  else
    echo "skipped: the test cluster runs slurmd and slurmctld as root (SlurmUser=root)"
  fi
  exit 77
fi
install_s=0
if missing; then
  say "installing slurm-wlm and munge"
  t=$(now)
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq slurm-wlm munge >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
  install_s=$(since "$t")
  if missing; then
    echo "slurm.sh: slurm-wlm and munge installed, but one of: $needed is still missing" >&2
    exit 1
  fi
fi

# --- the private cluster's directory -------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/poolsim-slurm.XXXXXX")
# munged wants every directory above its socket searchable by all.
chmod 755 "$tmp"
mkdir -p "$tmp"/{munge,state,spool,log,run,jobs,bin,cluster}

pid_munged='' pid_slurmctld='' pid_slurmd=''
jobids=''

alive() { # PID: running (a zombie child counts as gone)
  local stat
  stat=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "${stat%% *}" != Z ]
}
stop() { # NAME PID: SIGTERM, up to 10 s, then SIGKILL
  local name=$1 pid=$2 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    say "$name (pid $pid) still running after 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
show_logs() {
  local f
  if [ -n "$pid_slurmctld" ] && alive "$pid_slurmctld"; then
    echo "---- sinfo, jobs"
    timeout 5 sinfo -N -l 2>&1
    timeout 5 sinfo -R 2>&1
    for f in $jobids; do
      timeout 5 scontrol show job -o "$f" 2>&1 | awk '{
        line = ""
        for (i = 1; i <= NF; i++)
          if ($i ~ /^(JobId|ArrayTaskId|JobName|JobState|Reason|ExitCode)=/)
            line = line " " $i
        print line
      }'
    done
  fi
  for f in "$tmp"/log/* "$tmp"/munge/*.log "$tmp"/munge/*.stderr "$tmp"/jobs/*; do
    [ -f "$f" ] || continue
    # In the foreground slurmctld and slurmd print their log to stderr too.
    case $f in *.stderr) [ -s "${f%.stderr}.log" ] && continue ;; esac
    echo "---- $f (last 40 lines)"
    tail -n 40 "$f"
  done
  echo "----"
}
cleanup() {
  local rc=$? pid fd i
  set +e
  trap - EXIT INT TERM
  if [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
    show_logs
  fi
  if [ -n "$jobids" ] && [ -n "$pid_slurmctld" ] && alive "$pid_slurmctld"; then
    # shellcheck disable=SC2086
    timeout 10 scancel $jobids 2>/dev/null
    for ((i = 0; i < 100; i++)); do
      [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  stop slurmd "$pid_slurmd"
  stop slurmctld "$pid_slurmctld"
  stop munged "$pid_munged"
  # Anything else still holding a file of the temporary directory (a job
  # step that outlived slurmd) belongs to this cluster.
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    [ "$pid" = $$ ] && continue
    for fd in /proc/"$pid"/cwd /proc/"$pid"/fd/*; do
      case $(readlink "$fd" 2>/dev/null) in
      "$tmp" | "$tmp"/*)
        say "pid $pid ($(cat /proc/"$pid"/comm 2>/dev/null)) left over in $tmp: SIGKILL"
        kill -KILL "$pid" 2>/dev/null
        break
        ;;
      esac
    done
  done
  if [ "${SLURM_TEST_KEEP:-0}" = 1 ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "FAIL: slurm sharded sweep: interrupted"; exit 130' INT
trap 'echo "FAIL: slurm sharded sweep: terminated"; exit 143' TERM

fail() {
  echo "FAIL: slurm sharded sweep: $*"
  exit 1
}

# The binary under test, copied: a rebuild while the jobs run changes nothing.
cp "$binary" "$tmp/bin/poolsim"
poolsim=$tmp/bin/poolsim

# Two free ports in the 16000s, next to Slurm's own 6817/6818.
port_used() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ctld_port=''
for ((p = 16817; p < 16999; p += 2)); do
  if ! port_used "$p" && ! port_used $((p + 1)); then
    ctld_port=$p
    break
  fi
done
[ -n "$ctld_port" ] || fail "no two free ports between 16817 and 16999"
slurmd_port=$((ctld_port + 1))

node=$(hostname -s 2>/dev/null || hostname)
# What slurmd itself finds (CPUs, sockets, cores, threads, RealMemory): a
# node configured with more than that would be drained.
hw=$(SLURM_CONF=/dev/null slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* //p' | head -n 1)
case $hw in
*CPUs=*RealMemory=*) ;;
*) hw="CPUs=$(nproc) RealMemory=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)" ;;
esac

# --- configuration --------------------------------------------------------
if command -v mungekey >/dev/null 2>&1; then
  mungekey --create --keyfile="$tmp/munge/munge.key"
else
  dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 400 "$tmp/munge/munge.key"

export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
# A one-node cluster for tests/cluster/slurm.sh; everything in $tmp.
ClusterName=poolsim-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
# A merge job whose shards failed is cancelled, not left pending.
DependencyParameters=kill_invalid_depend
# Finished jobs stay visible to scontrol for 10 minutes.
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
: >"$tmp/plugstack.conf"

# --- bring-up ---------------------------------------------------------------
say "starting munged, slurmctld, slurmd in $tmp (ports $ctld_port, $slurmd_port)"
t_up=$(now)
munged --foreground \
  --key-file="$tmp/munge/munge.key" \
  --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" \
  --log-file="$tmp/munge/munged.log" \
  --seed-file="$tmp/munge/munged.seed" \
  >"$tmp/munge/munged.stderr" 2>&1 &
pid_munged=$!
ok=0
for ((i = 0; i < 100; i++)); do
  if munge -n -S "$tmp/munge/munge.socket" 2>/dev/null |
    unmunge -S "$tmp/munge/munge.socket" >/dev/null 2>&1; then
    ok=1
    break
  fi
  alive "$pid_munged" || break
  sleep 0.1
done
[ "$ok" = 1 ] || fail "munged did not answer within 10 s"

slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.stderr" 2>&1 &
pid_slurmctld=$!
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.stderr" 2>&1 &
pid_slurmd=$!

state=''
for ((i = 0; i < 300; i++)); do
  state=$(timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null || true)
  case $state in idle*) break ;; esac
  alive "$pid_slurmctld" || fail "slurmctld exited during bring-up"
  alive "$pid_slurmd" || fail "slurmd exited during bring-up"
  sleep 0.2
done
case $state in idle*) ;; *) fail "node $node not idle after 60 s (state: ${state:-none})" ;; esac
up_s=$(since "$t_up")
say "node $node idle after $up_s s"

# --- the reference: one local sweep ---------------------------------------
t=$(now)
# shellcheck disable=SC2086
"$poolsim" sweep "$scenario" $sweep_args -j 1 --quiet -o "$tmp/local" ||
  fail "the local sweep failed"
local_s=$(since "$t")
say "local sweep (-j 1): $local_s s"

# --- the same sweep as a job array and a dependent merge -------------------
t=$(now)
# The variables go through the environment (--export=ALL): SWEEP_ARGS has
# commas, at which --export=ALL,NAME=VALUE,... would split it.
array=$(POOLSIM=$poolsim SCENARIO=$scenario SWEEP_ARGS=$sweep_args \
  OUT=$tmp/cluster JOBS=1 \
  sbatch --parsable --export=ALL --array=0-$((ntasks - 1)) \
  --chdir="$tmp" --output="$tmp/jobs/sweep-%A_%a.out" "$sbatch_script") ||
  fail "sbatch of the array failed"
array=${array%%;*}
jobids=$array
# shellcheck disable=SC2016 # expanded in the job, from its environment
merge=$(POOLSIM=$poolsim OUT=$tmp/cluster \
  sbatch --parsable --export=ALL --job-name=poolsim-merge \
  --dependency=afterok:"$array" --chdir="$tmp" \
  --output="$tmp/jobs/merge-%j.out" \
  --wrap '"$POOLSIM" merge "$OUT" --no-plots --quiet && echo merged') ||
  fail "sbatch of the merge job failed"
merge=${merge%%;*}
jobids="$array $merge"
say "submitted array job $array ($ntasks tasks) and merge job $merge"

mstate=''
deadline=$((SECONDS + wait_s))
while ((SECONDS < deadline)); do
  info=$(timeout 5 scontrol show job -o "$merge" 2>/dev/null || true)
  mstate=$(sed -n 's/.*JobState=\([^ ]*\).*/\1/p' <<<"$info")
  reason=$(sed -n 's/.* Reason=\([^ ]*\).*/\1/p' <<<"$info")
  case $mstate in
  COMPLETED) break ;;
  PENDING | RUNNING | CONFIGURING | COMPLETING | '')
    [ "$reason" = DependencyNeverSatisfied ] &&
      fail "a shard failed: merge job $merge can never start"
    ;;
  *) break ;;
  esac
  sleep 0.5
done
cluster_s=$(since "$t")
case $mstate in
COMPLETED) ;;
PENDING | RUNNING | CONFIGURING | COMPLETING | '')
  fail "merge job $merge not finished after $wait_s s (state: ${mstate:-unknown})" ;;
*) fail "merge job $merge ended $mstate" ;;
esac
grep -qx merged "$tmp"/jobs/merge-"$merge".out ||
  fail "merge job $merge completed without its marker line"
say "array + merge on slurm: $cluster_s s"

# --- compare ----------------------------------------------------------------
diffs=''
for f in $tables; do
  cmp "$tmp/local/$f" "$tmp/cluster/$f" || diffs="$diffs $f"
done
total_s=$(since "$t_start")
times="bring-up $up_s s, local sweep $local_s s, cluster sweep $cluster_s s, total $total_s s"
[ "$install_s" = 0 ] || times="install $install_s s, $times"
[ -z "$diffs" ] || fail "differs from the local sweep:$diffs ($times)"
echo "PASS: slurm sharded sweep ($ntasks array tasks + merge) matches the local -j 1 sweep byte for byte ($times)"
