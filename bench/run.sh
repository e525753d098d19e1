#!/usr/bin/env bash
# Qflow benchmarks (README "Benchmarks"): ./qflow bench [runs]
#  1. engine overhead per node, in process: 1,000-node chain and fan-out/fan-in of no-op nodes
#  2. 100 concurrent executions of a 10-node workflow with 2 parallel branches, in process on the
#     real engine + JDBC store: H2 file and embedded PostgreSQL (executions/s, p50, p99)
#  3. heap per waiting execution with 10,000 waiting (approval-like node, H2 file store)
#  4. recovery after kill -9 with 100 executions in flight (the e2e test DurabilityE2EIT, real
#     distribution; skip with RECOVERY=0; extra Maven flags, e.g. -o, in MVN_FLAGS)
#  5. POST-run-and-wait of a 3-node workflow over HTTP (history persisted in H2) next to a plain
#     endpoint of the same server returning the same JSON, measured with wrk in the same run.
# Env: DURATION (15 s), WARMUP (5 s), CONNS (32), THREADS (2), PORT (18090), WAITING (10000),
#      STORES (both | h2 | postgres), RECOVERY (1), MVN_FLAGS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
: "${JAVA_HOME:?run through ./qflow bench, which finds a JDK 21+}"
RUNS=${1:-100}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-18090}
BODY='{"a":2,"b":3,"name":"alice"}'

CP="$ROOT/bench/target/qflow-bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*"
echo "== 1. engine overhead (in process)"
"$JAVA_HOME/bin/java" -cp "$CP" io.qflow.bench.EngineOverheadBenchmark "$RUNS" 2>/dev/null

echo
echo "== 2. concurrent executions on the real store (in process)"
"$JAVA_HOME/bin/java" -cp "$CP" io.qflow.bench.ConcurrentExecutionsBenchmark "${STORES:-both}" "$DURATION" "$WARMUP" 100

echo
echo "== 3. memory per waiting execution (in process)"
"$JAVA_HOME/bin/java" -cp "$CP" io.qflow.bench.WaitingMemoryBenchmark "${WAITING:-10000}"

echo
echo "== 4. recovery after kill -9 with 100 executions in flight (itests/e2e DurabilityE2EIT)"
if [ "${RECOVERY:-1}" = 1 ]; then
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -B -q ${MVN_FLAGS:-} -f itests/e2e/pom.xml verify -Dit.test=DurabilityE2EIT 2>&1) \
    | grep '^\[e2e\]' || echo "recovery test failed: run it alone to see why (mvn -f itests/e2e/pom.xml verify -Dit.test=DurabilityE2EIT)"
else
  echo "skipped (RECOVERY=0)"
fi

echo
echo "== 5. HTTP: run-and-wait of a 3-node workflow vs a plain endpoint (wrk -t$THREADS -c$CONNS -d${DURATION}s)"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null; apt-get install -y wrk >/dev/null; }; }
WORK=$(mktemp -d /tmp/qflow-bench.XXXXXX)
cp -r "$ROOT/runtime/target/qflow" "$WORK/qflow"
echo "qflow.bench.plain=true" >> "$WORK/qflow/conf/qflow.properties"
QFLOW_DB_URL="${QFLOW_DB_URL:-}" QFLOW_PORT=$PORT QFLOW_DATA="$WORK/data" setsid "$WORK/qflow/bin/qflow" >"$WORK/runtime.log" 2>&1 < /dev/null &
PID=$!
trap 'kill -TERM -- -$PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { echo "runtime died:"; tail -20 "$WORK/runtime.log"; exit 1; }
  sleep 0.5
done
WF=$(curl -fsS -X POST -H 'Content-Type: application/json' "$BASE/api/v1/workflows" -d '{
  "name": "bench: input -> set -> noop",
  "nodes": [
    {"id": "input", "type": "core.input"},
    {"id": "shape", "type": "core.set", "config": {"values": {
        "sum": "{{ in.a + in.b }}", "name": "{{ in.name.toUpperCase() }}", "processed": true}}},
    {"id": "done", "type": "core.noop"}],
  "connections": [{"from": "input.out", "to": "shape.in"}, {"from": "shape.out", "to": "done.in"}]}' \
  | sed -E 's/.*"id":"([^"]+)".*/\1/;q')
[ -n "$WF" ] || { echo "could not create the benchmark workflow"; exit 1; }
RUN_URL="$BASE/api/v1/workflows/$WF/executions"
RUN_BODY="{\"input\":$BODY,\"wait\":true}"
SAMPLE=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$RUN_BODY" "$RUN_URL")
echo "sample run:   ${SAMPLE:0:300}"
# The plain endpoint answers the JSON it is sent: sent a run's answer, it returns the same JSON
# as run-and-wait (the issue's "plain endpoint returning the same JSON"), without engine or store.
echo "sample plain: $(curl -fsS -X POST -H 'Content-Type: application/json' -d "$SAMPLE" "$BASE/api/v1/_plain" | head -c 300)"

measure() {  # measure LABEL URL BODY
  BENCH_BODY="$3" wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$ROOT/bench/post.lua" "$2" >/dev/null 2>&1
  BENCH_BODY="$3" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s -s "$ROOT/bench/post.lua" "$2" \
    | grep '^BENCH_RESULT' | sed "s/^BENCH_RESULT/$1/"
}
PLAIN=$(measure plain "$BASE/api/v1/_plain" "$SAMPLE")
FLOW=$(measure workflow "$RUN_URL" "$RUN_BODY")
rps() { sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$1"; }
printf '%-10s %10s %9s %9s %7s\n' endpoint "req/s" "p50 ms" "p99 ms" errors
for row in "$PLAIN" "$FLOW"; do
  awk '{for(i=2;i<=NF;i++){split($i,kv,"="); v[kv[1]]=kv[2]} printf "%-10s %10.0f %9.2f %9.2f %7d\n", $1, v["rps"], v["p50_us"]/1000, v["p99_us"]/1000, v["errors"]}' <<<"$row"
done
awk -v f="$(rps "$FLOW")" -v p="$(rps "$PLAIN")" 'BEGIN{printf "workflow/plain throughput ratio: %.0f %% (target >= 50 %%)\n", 100*f/p}'
EXECUTIONS=$(curl -fsS "$BASE/api/v1/executions?workflowId=$WF&limit=1" | head -c 200)
echo "history persisted in H2 (newest execution): $EXECUTIONS"
