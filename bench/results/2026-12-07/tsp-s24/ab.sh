#!/usr/bin/env bash
# Issue 20 (session 24): two arms of `tsp.ils` side by side, one core each, the cores swapped pair by
# pair, on fresh `quotient gen tsp` instances (rebuilt from the names: u|c, thousands of nodes, seed).
# Every tour is checked by `quotient check`. Run from the repository root after a release build:
#   Q=/work/target-rel/release/quotient A="--param trial=0" B="--param trial=2" \
#     bench/results/2026-12-07/tsp-s24/ab.sh SECONDS "c10k-s1 c10k-s2" "1 2 3"
# (instances, then quotient's seeds). One line per pair goes to $R/ab-$TAG.txt.
set -u
Q=${Q:-target/release/quotient}
R=${R:-bench/results/2026-12-07/tsp-s24}
I=${I:-/tmp/tsp-fresh}
T=$1; NAMES=$2; SEEDS=$3
TAG=${TAG:-ab}
mkdir -p "$I" /tmp/ab
flip=0
for seed in $SEEDS; do
  for name in $NAMES; do
    kind=uniform; [ "${name:0:1}" = c ] && kind=clustered
    k=${name#?}; k=${k%%k-*}; s=${name##*-s}
    [ -f $I/$name.tsp ] || $Q gen tsp -n $((k * 1000)) --kind $kind --seed $s -o $I/$name.tsp
    if [ $flip = 0 ]; then ca=0; cb=1; flip=1; else ca=1; cb=0; flip=0; fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    taskset -c $ca $Q solve $I/$name.tsp --solver tsp.ils -t $T --threads 1 --seed $seed ${A:-} --json \
      -o /tmp/ab/a.tour > /tmp/ab/a.json 2> /tmp/ab/a.err &
    taskset -c $cb $Q solve $I/$name.tsp --solver tsp.ils -t $T --threads 1 --seed $seed ${B:-} --json \
      -o /tmp/ab/b.tour > /tmp/ab/b.json 2> /tmp/ab/b.err &
    wait
    ok=$($Q check $I/$name.tsp /tmp/ab/a.tour > /dev/null 2>&1 && $Q check $I/$name.tsp /tmp/ab/b.tour > /dev/null 2>&1 && echo checked || echo CHECK-FAILED)
    python3 - "$name" "$seed" "$T" "$load" "$ok" <<'PY' | tee -a $R/ab-$TAG.txt
import json, sys
name, seed, t, load, ok = sys.argv[1:]
a = json.load(open('/tmp/ab/a.json')); b = json.load(open('/tmp/ab/b.json'))
oa, ob = a['objective'], b['objective']
tail = lambda v: (v.get('message') or '').split('partition crossover: ')[-1][:140]
print(f"{name} seed={seed} t={t} load={load} {ok} A={oa:.0f} B={ob:.0f} B-vs-A={100 * (ob - oa) / oa:+.3f}% | A: {tail(a)} | B: {tail(b)}")
PY
  done
done
