#!/usr/bin/env bash
# Issue 21 (session 18): clustered 50 000 and 100 000 nodes at 600 s, `tsp.ils` (CLI default, one
# thread: the sparse ascent with alpha lists) side by side with LKH-3 POPMUSIC (one core), both under
# /usr/bin/time -v for the peak RSS, every tour checked. From the repository root:
#   Q=/work/target-rel-m2/quotient bench/results/2026-12-06/tsp-s18/queue-large.sh
set -u
Q=${Q:-target/release/quotient}
R=bench/results/2026-12-06/tsp-s18
I=/tmp/tsp-fresh
export ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100"
T=600
for pair in c50k-s1:50000 c100k-s1:100000; do
  name=${pair%%:*}; n=${pair##*:}
  [ -f $I/$name.tsp ] || $Q gen tsp -n $n --kind clustered --seed 1 -o $I/$name.tsp
  tag=$name-t$T-popmusic
  /usr/bin/time -v taskset -c 0 $Q solve $I/$name.tsp --solver tsp.ils -t $T --threads 1 --seed 1 --json \
    -o $R/$tag-q.tour > $R/$tag-q.json 2> $R/$tag-q.err &
  /usr/bin/time -v taskset -c 1 .venv-anchors/bin/python bench/anchors.py solve1 $I/$name.tsp --time-limit $T \
    --threads 1 --seed 1 > $R/$tag-lkh.json 2> $R/$tag-lkh.err &
  wait
  python3 -c "import json; open('$R/$tag-lkh.tour','w').write(json.load(open('$R/$tag-lkh.json'))['text'])"
  qc=$($Q check $I/$name.tsp $R/$tag-q.tour 2>&1 | tr '\n' ' ' | head -c 200)
  lc=$($Q check $I/$name.tsp $R/$tag-lkh.tour 2>&1 | tr '\n' ' ' | head -c 200)
  qrss=$(grep "Maximum resident" $R/$tag-q.err | awk '{print $NF}')
  lrss=$(grep "Maximum resident" $R/$tag-lkh.err | awk '{print $NF}')
  qmsg=$(python3 -c "import json; v=json.load(open('$R/$tag-q.json')); print(v.get('objective'), v.get('bound'), '|', (v.get('message') or '')[:200])")
  echo "$tag | q: $qc rss_kb=$qrss | lkh: $lc rss_kb=$lrss | q says: $qmsg" | tee -a $R/summary-large.txt
  gzip -f $R/$tag-q.tour $R/$tag-lkh.tour
done
