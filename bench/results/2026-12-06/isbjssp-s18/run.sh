#!/usr/bin/env bash
# Issue 25, session 18: ISBJSSP online under machine shutdowns on Taillard ta01-ta10 (15x15).
# Run from the repository root:  bench/results/2026-12-06/isbjssp-s18/run.sh [schedules|simulate|table]...
# Every release run is under `flock /tmp/bench.lock` (one solve / one instance's simulate per
# lock), at low priority (the machine's 2 cores are shared with another engineer's work).
set -euo pipefail
Q=${Q:-/work/target-rel2/release/quotient}   # session 18 ran it with Q=/tmp/qbin/quotient (not a release build; SECTION.md says why)
OUT=bench/results/2026-12-06/isbjssp-s18
B=/work/shared/bench/jssp
PROBS="0 0.001 0.002 0.005 0.01 0.02"
INST="ta01 ta02 ta03 ta04 ta05 ta06 ta07 ta08 ta09 ta10"
schedules() {
  mkdir -p "$OUT/schedules"
  for i in $INST; do
    # The offline schedules: IG 10 s (one thread, seed 1) and the GNN job-order policy.
    flock /tmp/bench.lock nice -n 19 "$Q" solve "$B/$i.txt" --variant swap --solver jssp.blocking \
      -t 10 --threads 1 --seed 1 --json -o "$OUT/schedules/ig-$i.txt" > "$OUT/schedules/ig-$i.json"
    flock /tmp/bench.lock nice -n 19 "$Q" solve "$B/$i.txt" --variant swap --solver jssp.blocking-gnn \
      --threads 1 --seed 1 --json -o "$OUT/schedules/gnn-$i.txt" > "$OUT/schedules/gnn-$i.json"
  done
}
simulate() {
  mkdir -p "$OUT/raw"
  for p in $PROBS; do
    for i in $INST; do
      flock /tmp/bench.lock nice -n 19 "$Q" simulate "$B/$i.txt" --variant iswap --shutdown-prob "$p" \
        --scenarios 100 --seed 1 \
        --policy sim-fifo --policy sim-spt --policy sim-lpt --policy sim-mwkr --policy sim-mor \
        --policy sim-random \
        --policy "schedule:$OUT/schedules/ig-$i.txt" --policy "schedule:$OUT/schedules/gnn-$i.txt" \
        --json > "$OUT/raw/$i-p$p.json"
    done
  done
}
table() { python3 "$OUT/table.py" "$OUT/raw" > "$OUT/table.md"; }
for step in "${@:-schedules simulate table}"; do
  for s in $step; do "$s"; done
done
