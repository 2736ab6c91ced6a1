#!/usr/bin/env bash
# Session 15, issue 21: the batches behind BENCHMARKS.md's section (run from the worktree root
# after `cargo build --release --workspace --bins --examples`). Each batch runs two arms side by
# side, pinned to cores 0 and 1, through session 14's bench/results/2026-12-06/dc/run.sh, under
# the machine's benchmark lock:  flock /tmp/bench.lock bench/results/2026-12-06/cvrpdc2/batches.sh setup
set -u
export R=bench/results/2026-12-06/cvrpdc2
export I=${I:-/tmp/dc21-inst}
RUN=bench/results/2026-12-06/dc/run.sh
S=$R/summary.txt
mkdir -p "$R"
pair() { # two quoted commands, started together
  echo "# $(date -u +%H:%M:%S) start; $(uptime)" >> $S
  bash -c "$1" >> $S &
  bash -c "$2" >> $S &
  wait
  echo "# $(date -u +%H:%M:%S) end; $(uptime)" >> $S
}
case $1 in
  setup) # set-up cost: cvrp.savings alone on x100k; cvrp.sisr for 60 s (its trace: time to the first solution)
    pair "$RUN q 0 x100k cvrp.savings 300 1" \
         "$RUN q 1 x100k cvrp.sisr 60 1 --trace $R/x100k-cvrp.sisr-t60-th1.trace.json" ;;
  x100k|x30k) # cvrp.dc vs cvrp.sisr at 300 s, with their traces (start objective, first solution)
    pair "$RUN q 0 $1 cvrp.dc 300 1 --trace $R/$1-cvrp.dc-t300-th1.trace.json" \
         "$RUN q 1 $1 cvrp.sisr 300 1 --trace $R/$1-cvrp.sisr-t300-th1.trace.json" ;;
esac
