#!/usr/bin/env bash
# Job-service figures (BENCHMARKS.md): N small jobs through 1 API node + 2 workers on
# PostgreSQL, the same through the in-process store, kill -9 rounds, and the load test against
# the PostgreSQL store. Needs a release build (`cargo build --release --bin quotient --example
# cluster_bench && cargo build --release -p quotient-server --example load`) and PostgreSQL.
# Usage: bench/service.sh [JOBS_PG] [JOBS_MEMORY] [KILL_ROUNDS] [LOAD_REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${QUOTIENT_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
N_PG=${1:-1000}; N_MEM=${2:-1000}; ROUNDS=${3:-20}; LOAD=${4:-10000}
Q=target/release/quotient
B=target/release/examples/cluster_bench
L=target/release/examples/load
OUT=${OUT:-bench/results/$(date +%F)/service}
mkdir -p "$OUT"
rss() { grep -E 'VmRSS|VmHWM' /proc/$1/status | tr -s ' ' | tr '\n' ' '; }
wait_port() { for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return; sleep 0.1; done; echo "no server on $1" >&2; exit 1; }
schema=bench_$$
cleanup() { kill $(jobs -p) 2>/dev/null || true; psql "$PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== $N_PG jobs: 1 API node + 2 workers, PostgreSQL ==" >&2
$Q serve --addr 127.0.0.1:18080 --store "$PG" --store-schema $schema --api-only --queue 4096 2>"$OUT/api.log" &
wait_port 18080
$Q worker --store "$PG" --store-schema $schema --max-concurrent 1 --threads 1 --node-name w1 2>"$OUT/w1.log" &
$Q worker --store "$PG" --store-schema $schema --max-concurrent 1 --threads 1 --node-name w2 2>"$OUT/w2.log" &
sleep 1
$B jobs --base http://127.0.0.1:18080 --jobs "$N_PG" --concurrency 2 --cities 100 --time 1 | tee "$OUT/jobs_pg.json"
psql "$PG" -At -c "SELECT status, count(*) FROM $schema.jobs GROUP BY status" | tee "$OUT/jobs_pg_status.txt"
kill $(jobs -p); wait 2>/dev/null || true
psql "$PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE"

echo "== $N_MEM jobs: one node, in-process store, 2 slots ==" >&2
$Q serve --addr 127.0.0.1:18081 --max-concurrent 2 --queue 4096 2>"$OUT/mem.log" &
wait_port 18081
$B jobs --base http://127.0.0.1:18081 --jobs "$N_MEM" --concurrency 2 --cities 100 --time 1 | tee "$OUT/jobs_memory.json"
kill $(jobs -p); wait 2>/dev/null || true

echo "== kill -9 a worker mid-job, $ROUNDS rounds ==" >&2
$B kill --quotient $Q --store "$PG" --rounds "$ROUNDS" 2>"$OUT/kill.log" | tee "$OUT/kill.json"

echo "== load test against the PostgreSQL store: $LOAD requests ==" >&2
$Q serve --addr 127.0.0.1:18082 --store "$PG" --store-schema $schema 2>"$OUT/load_api.log" &
PID=$!
wait_port 18082
$L --url http://127.0.0.1:18082 -n "$LOAD" -c 32 --pid $PID | tee "$OUT/load_pg.txt"
$L --url http://127.0.0.1:18082 --flood 500 --pid $PID | tee "$OUT/flood_pg.txt"
