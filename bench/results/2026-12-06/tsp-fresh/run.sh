#!/usr/bin/env bash
# Issue 20 (session 17): fresh `quotient gen tsp` instances, quotient (`tsp.ils`, the CLI default
# solver settings, one thread) side by side with LKH-3 (elkai via bench/anchors.py solve1, its
# default candidates, RUNS as many as fit, TOTAL_TIME_LIMIT = the wall limit), one core each,
# the cores swapped pair by pair. Both tours are checked by `quotient check`.
# Run from the repository root after a release build:
#   Q=/work/target-rel/release/quotient bench/results/2026-12-06/tsp-fresh/run.sh SECONDS SEED...
# Instances (not committed; rebuilt from these commands): `quotient gen tsp -n N --kind K --seed S`.
# SIZES (default "2000 5000 10000") picks the sizes, TAG is appended to the file names; LKH-3 options in
# ANCHORS_LKH_EXTRA (e.g. "CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100": at 10 000 nodes LKH-3's
# default ascent does not end within 30 s and it returns no tour).
set -u
Q=${Q:-target/release/quotient}
R=${R:-bench/results/2026-12-06/tsp-fresh}
I=${I:-/tmp/tsp-fresh}
T=$1; shift
mkdir -p "$I"
flip=0
for seed in "$@"; do
  for kind in uniform clustered; do
    for n in ${SIZES:-2000 5000 10000}; do
      name=${kind:0:1}$((n / 1000))k-s$seed
      [ -f $I/$name.tsp ] || $Q gen tsp -n $n --kind $kind --seed $seed -o $I/$name.tsp
      if [ $flip = 0 ]; then cq=0; cl=1; flip=1; else cq=1; cl=0; flip=0; fi
      tag=$name-t$T${TAG:-}
      load=$(cut -d' ' -f1 /proc/loadavg)
      taskset -c $cq $Q solve $I/$name.tsp --solver tsp.ils -t $T --threads 1 --seed 1 --json \
        -o $R/$tag-q.tour > $R/$tag-q.json 2> $R/$tag-q.err &
      taskset -c $cl .venv-anchors/bin/python bench/anchors.py solve1 $I/$name.tsp --time-limit $T \
        --threads 1 --seed 1 > $R/$tag-lkh.json 2> $R/$tag-lkh.err &
      wait
      python3 -c "import json; open('$R/$tag-lkh.tour','w').write(json.load(open('$R/$tag-lkh.json'))['text'])"
      qc=$($Q check $I/$name.tsp $R/$tag-q.tour 2>&1 | tr '\n' ' ' | head -c 200)
      lc=$($Q check $I/$name.tsp $R/$tag-lkh.tour 2>&1 | tr '\n' ' ' | head -c 200)
      qmsg=$(python3 -c "import json; v=json.load(open('$R/$tag-q.json')); print(v.get('objective'), v.get('bound'), '|', (v.get('message') or '')[:160])")
      echo "$tag cores q=$cq lkh=$cl load=$load | q: $qc | lkh: $lc | q says: $qmsg" | tee -a $R/summary-t$T${TAG:-}.txt
      gzip -f $R/$tag-q.tour $R/$tag-lkh.tour
    done
  done
done
