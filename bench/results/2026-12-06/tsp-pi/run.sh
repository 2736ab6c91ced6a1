#!/usr/bin/env bash
# Issue 20 (session 17): the learned ascent (`tsp_pi_gnn`, `tsp.pi+ils`) against the plain ascent.
# Run from the repository root after `cargo build --release --workspace --bins --examples`
# (T = its target directory). Nothing else running; one process per core.
set -u
T=${T:-target}
B=$T/release/examples/tsp_pi_data
Q=$T/release/quotient
R=bench/results/2026-12-06/tsp-pi
D=../shared/bench/tsp
export ORT_DYLIB_PATH=${ORT_DYLIB_PATH:-$PWD/.venv/lib/python3.11/site-packages/onnxruntime/capi/libonnxruntime.so.1.31.1}
sized() { for f in $D/*.tsp; do d=$(grep -m1 -i "^DIMENSION" $f | tr -dc '0-9'); [ "$d" -ge $1 ] && [ "$d" -le $2 ] && echo $f; done; }
# 1. The ascent alone: uncapped on TSPLIB 100..999 (core 0); capped at 2.5 s (a quarter of 10 s, as
#    tsp.ils caps it) on TSPLIB 1000..2400 (core 1). Explicit-matrix files get no prediction.
taskset -c 0 $B eval $(sized 100 999) > $R/eval-tsplib-100-999.txt 2>&1 &
taskset -c 1 $B eval --cap 2.5 $(sized 1000 2400) > $R/eval-tsplib-1000-2400-cap2.5.txt 2>&1 &
wait
# 2. Fresh instances (the tsp-fresh set), capped at 7.5 s (a quarter of 30 s).
F=/tmp/tsp-fresh
taskset -c 0 $B eval --cap 7.5 $F/u2k-s1.tsp $F/c2k-s1.tsp $F/u2k-s2.tsp $F/c2k-s2.tsp > $R/eval-fresh-2k-cap7.5.txt 2>&1 &
taskset -c 1 $B eval --cap 7.5 $F/u5k-s1.tsp $F/c5k-s1.tsp $F/u5k-s2.tsp $F/c5k-s2.tsp > $R/eval-fresh-5k-cap7.5.txt 2>&1 &
wait
# 3. Equal time, side by side: tsp.pi+ils vs tsp.ils, 10 s, one thread, TSPLIB 1000..2400.
taskset -c 0 $Q bench $D -t 10 --threads 1 --min-size 1000 --max-size 2400 --solver tsp.pi+ils --seed 1 --out $R/bench-pi-10s.csv > $R/bench-pi-10s.txt 2>&1 &
taskset -c 1 $Q bench $D -t 10 --threads 1 --min-size 1000 --max-size 2400 --solver tsp.ils --seed 1 --out $R/bench-ils-10s.csv > $R/bench-ils-10s.txt 2>&1 &
wait
