#!/usr/bin/env bash
# Qflow benchmarks (README "Benchmarks"): ./qflow bench [runs]
#  1. engine overhead per node, in process: 1,000-node chain and fan-out/fan-in of no-op nodes
#  2. 100 concurrent executions of a 10-node workflow with 2 parallel branches, in process on the
#     real engine + JDBC store: H2 file and embedded PostgreSQL (executions/s, p50, p99)
#  3. heap per waiting execution with 10,000 waiting (approval-like node, H2 file store)
#  4. recovery after kill -9 with 100 executions in flight (the e2e test DurabilityE2EIT, real
#     distribution; skip with RECOVERY=0; extra Maven flags, e.g. -o, in MVN_FLAGS)
#  5. POST-run-and-wait of a 3-node workflow over HTTP (history persisted in H2; persistence
#     "batched" and "steps") next to a plain endpoint of the same server returning the same JSON,
#     measured with wrk in the same run, interleaved in three rounds (medians).
#  +  Python nodes: a 40-node chain of fib(10) python.function nodes end to end (process backend),
#     the same 40 calls in one plain Python process, per-call overhead warm worker vs cold process
#     (PYTHON=0 skips; PYTHON_RUNS, PYTHON_VERSION)
#  +  Python on Docker: cold container vs pooled container start and per-call overhead of the docker
#     backend (needs the engine of scripts/docker-test-engine.sh; DOCKER=0 skips)
#  +  Editor: first-load JavaScript (gzipped) and canvas frame rate while panning a 500-node
#     workflow in headless Chromium against the real distribution (itests/editor/bench; EDITOR=0 skips)
# Env: DURATION (15 s), WARMUP (5 s), JIT_WARMUP (60 s, section 5), CONNS (32), THREADS (2), PORT (18090), WAITING (10000),
#      STORES (both | h2 | postgres), RECOVERY (1), MVN_FLAGS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
: "${JAVA_HOME:?run through ./qflow bench, which finds a JDK 21+}"
RUNS=${1:-100}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
JIT_WARMUP=${JIT_WARMUP:-60}
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
echo "== Python nodes: 40-node fib(10) chain, plain Python, per-call overhead (PythonBenchmark, medians)"
# Needs Python 3 interpreters on the host (pyenv's or /usr/bin/python3.x); PYTHON=0 skips.
if [ "${PYTHON:-1}" = 1 ]; then
  "$JAVA_HOME/bin/java" -cp "$CP" io.qflow.python.internal.PythonBenchmark "${PYTHON_RUNS:-30}" "${PYTHON_VERSION:-3.13}"
else
  echo "skipped (PYTHON=0)"
fi

echo
echo "== Python on Docker: container start and per-call overhead (DockerBackendBenchmark, medians)"
# Needs the Docker engine of scripts/docker-test-engine.sh (or QFLOW_TEST_DOCKER_HOST); DOCKER=0 skips.
if [ "${DOCKER:-1}" = 1 ]; then
  "$JAVA_HOME/bin/java" -cp "$CP" io.qflow.bench.DockerBackendBenchmark "${DOCKER_COLD_RUNS:-15}" "${DOCKER_CALLS:-3000}"
else
  echo "skipped (DOCKER=0)"
fi

echo
echo "== Editor: first-load JavaScript and canvas frame rate, 500 nodes (itests/editor/bench/canvas-fps.mjs)"
if [ "${EDITOR:-1}" = 1 ]; then
  (cd "$ROOT/itests/editor" && npm install --no-save --prefer-offline --no-audit --no-fund >/dev/null 2>&1 \
    && QFLOW_DIST="$ROOT/runtime/target/qflow" node bench/canvas-fps.mjs) \
    || echo "editor benchmark failed: run it alone (cd itests/editor && node bench/canvas-fps.mjs)"
else
  echo "skipped (EDITOR=0)"
fi

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
# Every execution of the run stays in the history: with the default retention (newest 10,000) the
# sweep every 5 minutes deletes what minutes of load added, a burst that landed in whichever
# measurement it met (the webhook against peers fell from 3,478 to 860 req/s once, most likely so:
# with retention off the next run gave 3,729).
printf 'qflow.retention.maxCount=0\nqflow.retention.maxAgeDays=0\n' >> "$WORK/qflow/conf/qflow.properties"
QFLOW_DB_URL="${QFLOW_DB_URL:-}" QFLOW_PORT=$PORT QFLOW_DATA="$WORK/data" setsid "$WORK/qflow/bin/qflow" >"$WORK/runtime.log" 2>&1 < /dev/null &
PID=$!
trap 'kill -TERM -- -$PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1 && break
  kill -0 $PID 2>/dev/null || { echo "runtime died:"; tail -20 "$WORK/runtime.log"; exit 1; }
  sleep 0.5
done
create_workflow() {  # create_workflow PERSISTENCE -> workflow id
  curl -fsS -X POST -H 'Content-Type: application/json' "$BASE/api/v1/workflows" -d '{
  "name": "bench: input -> set -> noop ('"$1"')", "settings": {"persistence": "'"$1"'"},
  "nodes": [
    {"id": "input", "type": "core.input"},
    {"id": "shape", "type": "core.set", "config": {"values": {
        "sum": "{{ in.a + in.b }}", "name": "{{ in.name.toUpperCase() }}", "processed": true}}},
    {"id": "done", "type": "core.noop"}],
  "connections": [{"from": "input.out", "to": "shape.in"}, {"from": "shape.out", "to": "done.in"}]}' \
  | sed -E 's/.*"id":"([^"]+)".*/\1/;q'
}
WF_STEPS=$(create_workflow steps)
WF=$(create_workflow batched)
[ -n "$WF" ] && [ -n "$WF_STEPS" ] || { echo "could not create the benchmark workflows"; exit 1; }
RUN_URL="$BASE/api/v1/workflows/$WF/executions"
RUN_BODY="{\"input\":$BODY,\"wait\":true}"
SAMPLE=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$RUN_BODY" "$RUN_URL")
echo "sample run:   ${SAMPLE:0:300}"
# The plain endpoint answers the JSON it is sent: sent a run's answer, it returns the same JSON
# as run-and-wait (the issue's "plain endpoint returning the same JSON"), without engine or store.
echo "sample plain: $(curl -fsS -X POST -H 'Content-Type: application/json' -d "$SAMPLE" "$BASE/api/v1/_plain" | head -c 300)"

# The runtime's JVM (the launcher script execs java; the lookup also covers a forking setsid).
JVM_PID=$(ps -o pid=,comm= -g "$PID" | awk '$2 == "java" {print $1; exit}')
jvm_ticks() { awk '{print $14 + $15}' "/proc/$JVM_PID/stat" 2>/dev/null || echo 0; }
measure() {  # measure LABEL URL BODY -> LABEL requests= rps= p50_us= p99_us= errors= cpu_us=
  BENCH_BODY="$3" wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" -s "$ROOT/bench/post.lua" "$2" >/dev/null 2>&1
  local before after result
  before=$(jvm_ticks)
  result=$(BENCH_BODY="$3" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 5s -s "$ROOT/bench/post.lua" "$2" \
    | grep '^BENCH_RESULT' | sed "s/^BENCH_RESULT/$1/")
  after=$(jvm_ticks)
  # The runtime's CPU time (user + system, clock ticks of 10 ms) per answered request: what the
  # throughput ratio comes from once both cores are busy.
  echo "$result" | awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "requests") n = kv[2] }
    printf "%s cpu_us=%.0f\n", $0, (n > 0 ? t * 1e6 / hz / n : 0) }'
}
# The JIT first: C2 compiles the engine, H2, Jackson and Jetty paths for well over a minute here
# (async-profiler showed the compiler threads taking 30-50 % of both cores through the first 75 s
# of load), which a 5 s warm-up per endpoint left inside the measured rounds.
echo "JIT warm-up: batched ${JIT_WARMUP}s, steps $((JIT_WARMUP / 2))s, plain $((JIT_WARMUP / 3))s"
BENCH_BODY="$RUN_BODY" wrk -t"$THREADS" -c"$CONNS" -d"${JIT_WARMUP}s" -s "$ROOT/bench/post.lua" "$RUN_URL" >/dev/null 2>&1
BENCH_BODY="$RUN_BODY" wrk -t"$THREADS" -c"$CONNS" -d"$((JIT_WARMUP / 2))s" -s "$ROOT/bench/post.lua" "$BASE/api/v1/workflows/$WF_STEPS/executions" >/dev/null 2>&1
BENCH_BODY="$SAMPLE" wrk -t"$THREADS" -c"$CONNS" -d"$((JIT_WARMUP / 3))s" -s "$ROOT/bench/post.lua" "$BASE/api/v1/_plain" >/dev/null 2>&1
# Interleaved, three rounds: the machine's noise hits all three endpoints alike; medians reported.
ROWS=()
for round in 1 2 3; do
  ROWS+=("$(measure plain "$BASE/api/v1/_plain" "$SAMPLE")")
  ROWS+=("$(measure batched "$RUN_URL" "$RUN_BODY")")
  ROWS+=("$(measure steps "$BASE/api/v1/workflows/$WF_STEPS/executions" "$RUN_BODY")")
done
printf '%-10s %10s %9s %9s %7s %12s   (median of 3 rounds)\n' endpoint "req/s" "p50 ms" "p99 ms" errors "JVM CPU/req"
printf '%s\n' "${ROWS[@]}" | awk '
  {for(i=2;i<=NF;i++){split($i,kv,"="); v[$1,kv[1],++n[$1,kv[1]]]=kv[2]}; seen[$1]=1}
  function med(k,f,  a,c,i,j,t){c=n[k,f]; for(i=1;i<=c;i++)a[i]=v[k,f,i]+0;
    for(i=1;i<=c;i++)for(j=i+1;j<=c;j++)if(a[j]<a[i]){t=a[i];a[i]=a[j];a[j]=t}; return a[int((c+1)/2)]}
  END{split("plain batched steps",order," ");
    for(o=1;o<=3;o++){k=order[o]; r[k]=med(k,"rps");
      printf "%-10s %10.0f %9.2f %9.2f %7d %9.0f us\n", k, r[k], med(k,"p50_us")/1000, med(k,"p99_us")/1000, med(k,"errors"), med(k,"cpu_us")}
    printf "workflow/plain throughput ratio: batched %.0f %%, steps %.0f %% (target >= 50 %%)\n", 100*r["batched"]/r["plain"], 100*r["steps"]/r["plain"]
    # Each round measures plain and batched back to back: their ratio within a round is less moved
    # by the machine speeding up or slowing down between rounds than the ratio of the medians.
    printf "per round, batched/plain throughput:"; for(i=1;i<=n["batched","rps"];i++) printf " %.0f %%", 100*v["batched","rps",i]/v["plain","rps",i]
    printf "; JVM CPU per request, batched/plain:"; for(i=1;i<=n["batched","cpu_us"];i++) printf " %.2fx", v["batched","cpu_us",i]/v["plain","cpu_us",i]
    printf "\n"}'
EXECUTIONS=$(curl -fsS "$BASE/api/v1/executions?workflowId=$WF&limit=1" | head -c 200)
echo "history persisted in H2 (newest execution): $EXECUTIONS"

echo
echo "== 6. webhook -> set (expressions) -> respond, history persisted (bench/webhook-workflow.json)"
curl -fsS -X POST -H 'Content-Type: application/json' "$BASE/api/v1/workflows" -d @"$ROOT/bench/webhook-workflow.json" >/dev/null
curl -fsS -X POST "$BASE/api/v1/workflows/bench-webhook/activate" >/dev/null
HOOK_URL="$BASE/webhook/bench"
echo "sample: $(curl -fsS -X POST -H 'Content-Type: application/json' -d "$BODY" "$HOOK_URL")"
ROWS=()
for round in 1 2 3; do ROWS+=("$(measure webhook "$HOOK_URL" "$BODY")"); done
printf '%s\n' "${ROWS[@]}" | awk '{for(i=2;i<=NF;i++){split($i,kv,"="); v[kv[1]]=v[kv[1]] " " kv[2]}} END{
  n=split(v["rps"],r," "); split(v["p50_us"],a," "); split(v["p99_us"],b," "); split(v["cpu_us"],c," ");
  for(i=1;i<=n;i++) printf "round %d: %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  JVM CPU %4.0f us/req\n", i, r[i], a[i]/1000, b[i]/1000, c[i]}'
echo "history persisted (newest execution): $(curl -fsS "$BASE/api/v1/executions?workflowId=bench-webhook&limit=1" | head -c 200)"
# The same workload against Node-RED, n8n and a plain Node.js server in one run (installs the peers
# into /tmp/peers on first use, about 6 minutes). WEBHOOK_PEERS=0 skips.
if [ "${WEBHOOK_PEERS:-1}" = 1 ] && [ -x "${PEERS_SH:-$ROOT/../shared/bench/peers.sh}" ]; then
  "${PEERS_SH:-$ROOT/../shared/bench/peers.sh}" "product=$HOOK_URL"
else
  echo "peer comparison skipped (WEBHOOK_PEERS=0 or no peers.sh at ${PEERS_SH:-$ROOT/../shared/bench/peers.sh})"
fi

echo
echo "== 7. schedule fire jitter: an every-second cron, ${JITTER_FIRES:-60} fires"
curl -fsS -X POST -H 'Content-Type: application/json' "$BASE/api/v1/workflows" -d '{
  "schemaVersion": 1, "id": "bench-tick", "name": "bench: every second",
  "nodes": [{"id": "clock", "type": "trigger.schedule", "config": {"cron": "* * * * * *"}}, {"id": "done", "type": "core.noop"}],
  "connections": [{"from": "clock.scheduledTime", "to": "done.in"}]}' >/dev/null
curl -fsS -X POST "$BASE/api/v1/workflows/bench-tick/activate" >/dev/null
sleep $(( ${JITTER_FIRES:-60} + 1 ))
curl -fsS -X POST "$BASE/api/v1/workflows/bench-tick/deactivate" >/dev/null
curl -fsS "$BASE/api/v1/executions?workflowId=bench-tick&limit=${JITTER_FIRES:-60}" \
  | python3 -c 'import json,sys; json.dump(json.load(sys.stdin)["items"], sys.stdout)' | python3 "$ROOT/bench/schedule-jitter.py"
