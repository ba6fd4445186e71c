#!/usr/bin/env bash
# run.sh BUILD_DIR: runs each libFuzzer target of BUILD_DIR (set up with
# -Dfuzz=true) for FUZZ_SECONDS (default 60), one at a time, at nice 19.
#
# Seeds are made here, at fuzz time, from the files the project already
# has (scenarios/, tests/data/, data/), next to tests/fuzz/seeds/TARGET/
# and tests/fuzz/regressions/TARGET/.  New corpus inputs go to
# BUILD_DIR/fuzz/corpus/TARGET/ (kept between runs), each target's log to
# BUILD_DIR/fuzz/TARGET.log, crashes to tests/fuzz/crashes/TARGET/ (not in
# git: a crash, once fixed, is copied into regressions/).  FUZZ_TARGETS
# picks targets; FUZZ_RSS_MB bounds each one's memory (default 2048).
# Prints one line of figures per target; exits 1 if any target crashed.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-60}
rss_mb=${FUZZ_RSS_MB:-2048}
targets=${FUZZ_TARGETS:-scenario set trace access-log body}
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$build/fuzz

# make_seeds TARGET DIR: the project's own inputs of that kind.
make_seeds() {
  local dir=$2 f i=0
  case $1 in
    scenario)
      for f in "$src"/scenarios/*.json "$src"/tests/data/*.json "$src"/tests/data/scenarios/*.json \
               "$src"/tests/data/scenarios/invalid/*.json "$src"/tests/data/rundir/summary.json; do
        cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"
      done ;;
    set)
      # KEY=VALUE lines from each scenario's top-level and client keys
      for f in "$src"/scenarios/*.json "$src"/tests/data/scenarios/*.json; do
        python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
for k, v in doc.items():
    print("%s=%s" % (k, json.dumps(v, separators=(",", ":"))))
for i, c in enumerate(doc.get("clients", [])):
    for k, v in c.items():
        print("clients[%d].%s=%s" % (i, k, json.dumps(v, separators=(",", ":"))))
' "$f" 2>/dev/null | split -l 4 - "$dir/$(basename "$f" .json)-" || true
      done ;;
    trace)
      for f in "$src"/data/*.csv "$src"/tests/data/rundir/*.csv; do
        cp "$f" "$dir/$(basename "$f")"
        head -n 12 "$f" >"$dir/head-$(basename "$f")"
      done ;;
    access-log)
      for f in "$src"/data/*.log; do
        cp "$f" "$dir/$(basename "$f")"
        head -n 20 "$f" >"$dir/head-$(basename "$f")"
        # the same lines in the common format: without referer and agent
        sed -E 's/ "[^"]*" "[^"]*"$//' "$f" | head -n 40 >"$dir/common-$(basename "$f")"
      done ;;
    body)
      # the request bodies the docs and the load generator show
      printf '{"priority":1}' >"$dir/priority"
      printf '{"work_ms":0}' >"$dir/work"
      printf '{"priority":3,"work_ms":250.5}\r\n' >"$dir/both" ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
status=0
for t in $targets; do
  seeds=$work/seeds/$t corpus=$work/corpus/$t crashes=$src/tests/fuzz/crashes/$t
  rm -rf "$seeds"
  mkdir -p "$seeds" "$corpus" "$crashes"
  make_seeds "$t" "$seeds"
  rc=0
  nice -n 19 "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -rss_limit_mb="$rss_mb" \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$crashes/" \
    "$corpus" "$seeds" "$src/tests/fuzz/seeds/$t" "$src/tests/fuzz/regressions/$t" \
    </dev/null >"$work/$t.log" 2>&1 || rc=$?
  # the last coverage line and libFuzzer's final statistics
  last=$(grep -E '^#[0-9]+' "$work/$t.log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log")
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  found=$(find "$crashes" -type f | wc -l)
  echo "$t: execs ${execs:-?} (${rate:-?}/s), $(grep -oE 'cov: [0-9]+ ft: [0-9]+' <<<"$last" | tail -n 1)," \
       "corpus $files files $bytes bytes, crashes $found, exit $rc (log: $work/$t.log)"
  [ "$rc" = 0 ] || status=1
done
exit "$status"
