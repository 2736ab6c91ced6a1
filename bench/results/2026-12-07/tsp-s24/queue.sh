#!/usr/bin/env bash
# Issue 20 (session 24): the default with the Delaunay edges in the sparse ascent's graph, side by side
# with LKH-3 (POPMUSIC candidates, as in session 23), one core each; then the large set's two instances
# above 6 000 nodes at 60 s, and c10k-s2 over quotient's seeds 2-5 at 30 s. Run from the repository
# root after a release build: Q=/work/target-rel/release/quotient bench/results/2026-12-07/tsp-s24/queue.sh
set -u
Q=${Q:-target/release/quotient}
R=bench/results/2026-12-07/tsp-s24/final
mkdir -p $R
export Q R
export ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100"
SIZES=10000 TAG=-popmusic bench/results/2026-12-06/tsp-fresh/run.sh 30 1 2
SIZES="10000 20000" TAG=-popmusic bench/results/2026-12-06/tsp-fresh/run.sh 120 1
taskset -c 0 $Q bench ../shared/bench/tsp --filter usa13509 -t 60 --threads 1 --seed 1 --solver tsp.ils --out $R/large-60s-a.csv > $R/large-60s-a.log 2>&1 &
taskset -c 1 $Q bench ../shared/bench/tsp --filter d18512 -t 60 --threads 1 --seed 1 --solver tsp.ils --out $R/large-60s-b.csv > $R/large-60s-b.log 2>&1 &
wait
for pair in "2 3" "4 5"; do
  set -- $pair
  for s in $1 $2; do
    c=$(( s % 2 ))
    taskset -c $c $Q solve /tmp/tsp-fresh/c10k-s2.tsp --solver tsp.ils -t 30 --threads 1 --seed $s --json -o $R/c10k-s2-seed$s.tour > $R/c10k-s2-seed$s.json 2>/dev/null &
  done
  wait
done
for s in 2 3 4 5; do
  echo "c10k-s2 seed $s: $($Q check /tmp/tsp-fresh/c10k-s2.tsp $R/c10k-s2-seed$s.tour | grep -i objective)"
  gzip -f $R/c10k-s2-seed$s.tour
done | tee $R/c10k-s2-seeds.txt
