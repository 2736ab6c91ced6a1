#!/usr/bin/env bash
# Issue 21 (session 25): c50k-s1 (`quotient gen tsp -n 50000 --kind clustered --seed 1`) at 600 s, quotient
# (`tsp.ils`, one thread, extra options in $B) side by side with LKH-3 (elkai, POPMUSIC candidates,
# INITIAL_PERIOD = 100), one core each, both under /usr/bin/time -v for the peak memory; both tours checked
# (objectives from `quotient check`).
#   Q=/work/target-rel/release/quotient B="--param first_move=3" TAG=first5 bench/results/2026-12-07/tsp-s25/pair50k.sh
set -u
Q=${Q:-target/release/quotient}
R=${R:-bench/results/2026-12-07/tsp-s25}
I=${I:-/tmp/tsp-fresh}
T=${T:-600}; TAG=${TAG:-default}
name=c50k-s1
[ -f $I/$name.tsp ] || $Q gen tsp -n 50000 --kind clustered --seed 1 -o $I/$name.tsp
mkdir -p /tmp/p50
taskset -c 0 /usr/bin/time -v $Q solve $I/$name.tsp --solver tsp.ils -t $T --threads 1 --seed 1 ${B:-} --json \
  -o /tmp/p50/q.tour > /tmp/p50/q.json 2> /tmp/p50/q.err &
ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" taskset -c 1 /usr/bin/time -v \
  .venv-anchors/bin/python bench/anchors.py solve1 $I/$name.tsp --time-limit $T --threads 1 --seed 1 \
  > /tmp/p50/lkh.json 2> /tmp/p50/lkh.err &
wait
python3 -c "import json; open('/tmp/p50/lkh.tour','w').write(json.load(open('/tmp/p50/lkh.json'))['text'])"
qo=$($Q check $I/$name.tsp /tmp/p50/q.tour 2>&1 | awk '/^objective/{print $2} /^feasible/{print $2}' | tr '\n' ' ')
lo=$($Q check $I/$name.tsp /tmp/p50/lkh.tour 2>&1 | awk '/^objective/{print $2} /^feasible/{print $2}' | tr '\n' ' ')
qr=$(grep 'Maximum resident' /tmp/p50/q.err | awk '{print $NF}'); lr=$(grep 'Maximum resident' /tmp/p50/lkh.err | awk '{print $NF}')
python3 - "$name-t$T-$TAG" "$qo" "$lo" "$qr" "$lr" <<'PY' | tee -a $R/pair50k.txt
import json, sys
tag, qo, lo, qr, lr = sys.argv[1:]
(oq, fq), (ol, fl) = qo.split(), lo.split()
q = json.load(open('/tmp/p50/q.json'))
print(f"{tag} q={oq} (feasible {fq}) lkh={ol} (feasible {fl}) q-vs-lkh={100 * (float(oq) - float(ol)) / float(ol):+.3f}% rss_kb q={qr} lkh={lr} | q says: {(q.get('message') or '')[:600]}")
PY
