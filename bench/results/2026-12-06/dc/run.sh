#!/usr/bin/env bash
# Issue 21 measurements (run from the worktree root after a release build):
#   bench/results/2026-12-06/dc/run.sh ARM...
# Each arm: `quotient solve` (or LKH-3 through bench/anchors.py solve1) pinned to one core,
# under /usr/bin/time -v; the solution is checked by `quotient check`. Instances are made by
# `quotient gen` into $I (not committed: the commands below rebuild them). The .json outputs
# were gzip'd after the runs.
set -u
Q=${Q:-target/release/quotient}
R=${R:-bench/results/2026-12-06/dc}
I=${I:-/tmp/dc21-inst}
mkdir -p "$I"
inst() { # name -> generate if missing
  case $1 in
    u20k) [ -f $I/u20k.tsp ] || $Q gen tsp -n 20000 --kind uniform --seed 1 -o $I/u20k.tsp ;;
    c20k) [ -f $I/c20k.tsp ] || $Q gen tsp -n 20000 --kind clustered --seed 3 -o $I/c20k.tsp ;;
    u50k) [ -f $I/u50k.tsp ] || $Q gen tsp -n 50000 --kind uniform --seed 1 -o $I/u50k.tsp ;;
    c50k) [ -f $I/c50k.tsp ] || $Q gen tsp -n 50000 --kind clustered --seed 3 -o $I/c50k.tsp ;;
    x10k) [ -f $I/x10k.vrp ] || $Q gen cvrp -n 10000 --seed 1 -o $I/x10k.vrp ;;
    x30k) [ -f $I/x30k.vrp ] || $Q gen cvrp -n 30000 --seed 1 -o $I/x30k.vrp ;;
    x100k) [ -f $I/x100k.vrp ] || $Q gen cvrp -n 100000 --seed 1 -o $I/x100k.vrp ;;
  esac
}
# q CORE INSTANCE SOLVER SECONDS THREADS [extra solve args]
q() {
  local core=$1 name=$2 solver=$3 t=$4 th=$5; shift 5
  inst $name
  local ext=tsp; [[ $name == x* ]] && ext=vrp
  local tag=$name-$solver-t$t-th$th${TAG:-}
  /usr/bin/time -v -o $R/$tag.time taskset -c $core $Q solve $I/$name.$ext --solver $solver \
    -t $t --threads $th --seed 1 --json "$@" > $R/$tag.json 2> $R/$tag.err
  echo "$tag $(python3 -c "import json,sys; v=json.load(open('$R/$tag.json')); print(v.get('objective'), v.get('status'), v.get('message'))") maxrss_kb=$(grep 'Maximum resident' $R/$tag.time | awk '{print $NF}')"
}
# lkh CORE INSTANCE SECONDS
lkh() {
  local core=$1 name=$2 t=$3
  inst $name
  local tag=$name-lkh-t$t
  local t0=$(date +%s.%N)
  ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" /usr/bin/time -v -o $R/$tag.time \
    taskset -c $core .venv-anchors/bin/python bench/anchors.py solve1 $I/$name.tsp --time-limit $t \
    --threads 1 --seed 1 > $R/$tag.json 2> $R/$tag.err
  local t1=$(date +%s.%N)
  python3 -c "import json; open('$R/$tag.tour','w').write(json.load(open('$R/$tag.json'))['text'])"
  $Q check $I/$name.tsp $R/$tag.tour > $R/$tag.check 2>&1
  echo "$tag wall=$(python3 -c "print(round($t1-$t0,1))") $(head -c 300 $R/$tag.check | tr '\n' ' ') maxrss_kb=$(grep 'Maximum resident' $R/$tag.time | awk '{print $NF}')"
  gzip -f $R/$tag.tour
}
"$@"
