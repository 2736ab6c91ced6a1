#!/usr/bin/env bash
# tsp.dc with its plane cells spread over two worker processes through PostgreSQL, against the
# same solve in one process with one and with two threads (issue 21: sub-problems over workers).
#
#   bench/farm_run.sh OUT INSTANCE SECONDS [SEED]
#
# Three runs, one after the other (each needs the cores to itself):
#   one   quotient solve --threads 1                      (core 0)
#   two   quotient solve --threads 2                      (cores 0,1)
#   farm  quotient serve --max-concurrent 1 (core 0) + quotient worker --max-concurrent 1
#         --threads 1 (core 1) on one PostgreSQL schema; the job asks for one thread: the serve
#         node runs the parent, the worker claims the cells the parent offers.
# Needs: target/release/quotient, PostgreSQL at $PG (default the machine's), curl, python3.
set -euo pipefail
OUT=$1 INST=$2 T=$3 SEED=${4:-1}
Q=${Q:-target/release/quotient}
PG=${PG:-postgres://postgres@127.0.0.1:5432/test}
SCHEMA=farm_bench_$$
mkdir -p "$OUT"
name=$(basename "$INST" .tsp)
run_solve() { # tag cores threads
  /usr/bin/time -v -o "$OUT/$name-$1.time" taskset -c "$2" "$Q" solve "$INST" --solver tsp.dc \
    -t "$T" --threads "$3" --seed "$SEED" --json > "$OUT/$name-$1.json"
}
run_solve one 0 1
run_solve two 0,1 2
# The farm: serve (parent) on core 0, worker on core 1.
taskset -c 0 "$Q" serve --addr 127.0.0.1:18733 --store "$PG" --store-schema "$SCHEMA" \
  --max-concurrent 1 --max-job-time 7200 2> "$OUT/$name-farm-serve.log" &
SERVE=$!
taskset -c 1 "$Q" worker --store "$PG" --store-schema "$SCHEMA" --max-concurrent 1 --threads 1 \
  --max-job-time 7200 --node-name bench-worker 2> "$OUT/$name-farm-worker.log" &
WORKER=$!
trap 'kill $SERVE $WORKER 2>/dev/null || true; psql "$PG" -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:18733/healthz >/dev/null && break; sleep 0.2; done
python3 - "$INST" "$T" "$SEED" > "$OUT/$name-farm-body.json" <<'PY'
import json, sys
inst, t, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
print(json.dumps({"format": "tsplib", "instance": open(inst).read(),
                  "options": {"solver": "tsp.dc", "time_limit": t, "threads": 1, "seed": seed}}))
PY
id=$(curl -sf -H 'content-type: application/json' --data-binary @"$OUT/$name-farm-body.json" \
  http://127.0.0.1:18733/v1/jobs | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
rm -f "$OUT/$name-farm-body.json"
while :; do
  v=$(curl -sf "http://127.0.0.1:18733/v1/jobs/$id")
  case $(printf '%s' "$v" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])') in
    done|failed|cancelled) printf '%s' "$v" > "$OUT/$name-farm.json"; break ;;
  esac
  sleep 1
done
ps -o rss=,cputime= -p $SERVE,$WORKER > "$OUT/$name-farm.ps" || true
python3 - "$OUT" "$name" <<'PY'
import json, sys
out, name = sys.argv[1], sys.argv[2]
def load(tag):
    v = json.load(open(f"{out}/{name}-{tag}.json"))
    return v.get("result", v)
for tag in ["one", "two", "farm"]:
    r = load(tag)
    print(f"{name} {tag:5} objective {r['objective']:.0f}  {r.get('message', '')[:400]}")
PY
