#!/usr/bin/env bash
# What one proxied request costs the gateway, in front of one `autoglm simnode --zero-delay`
# (32-token prompts, 8-token answers, `autoglm bench` closed loop):
#   bench/gateway_cost.sh instructions [whole|stream]   callgrind instructions per request:
#       the slope between a run of 500 and one of 3,000 requests (8 in flight), so start-up
#       and idle work cancel out. Slow (valgrind): about a minute per mode.
#   bench/gateway_cost.sh cpu [whole|stream]            user + system CPU µs per request
#       from /proc, 20,000 requests at 64 in flight.
# GATEWAY=path/to/autoglm compares another build's gateway (e.g. an older commit's) against
# the same backend and load generator (BINARY, default build/autoglm).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-instructions}"
mode="${2:-whole}"
binary="${BINARY:-build/autoglm}"
gateway="${GATEWAY:-$binary}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_file() { for _ in $(seq 300); do [ -s "$1" ] && return 0; sleep 0.1; done; echo "no $1" >&2; exit 1; }

"$binary" simnode --zero-delay --port 0 --ready-file "$work/node.port" --model autoglm-sim-8b \
  --log-level warn >"$work/node.log" 2>&1 &
pids+=($!)
wait_file "$work/node.port"
cat >"$work/gateway.yaml" <<YAML
server: {port: 0, host: 127.0.0.1, threads: 1}
logging: {level: warn}
database: {url: 'sqlite::memory:'}
scheduler: {policy: round_robin}
cluster: {simulated: {enabled: false}}
nodes:
  - {id: n0, url: 'http://127.0.0.1:$(cat "$work/node.port")', models: [autoglm-sim-8b]}
YAML
stream_flag=--no-stream
[ "$mode" = stream ] && stream_flag=
load() {  # url requests concurrency
  "$binary" bench --url "$1" --label g --out "$work/bench.json" --input-tokens 32 --output-tokens 8 \
    --seed 1 --timeout 60 --warmup 50 --rate 0 --concurrency "$3" --requests "$2" -q $stream_flag >/dev/null
}
start_gateway() {  # command prefix...
  rm -f "$work/gateway.port"
  "$@" "$gateway" serve -c "$work/gateway.yaml" --ready-file "$work/gateway.port" >"$work/gateway.log" 2>&1 &
  gateway_pid=$!
  pids+=($gateway_pid)
  wait_file "$work/gateway.port"
  url="http://127.0.0.1:$(cat "$work/gateway.port")"
}

case "$what" in
  instructions)
    total() {  # requests -> instructions of a gateway that served them
      start_gateway valgrind --tool=callgrind --callgrind-out-file="$work/cg.out"
      load "$url" "$1" 8
      kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
      callgrind_annotate "$work/cg.out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
    }
    small=$(total 500)
    large=$(total 3000)
    echo "$mode: $(( (large - small) / 2500 )) instructions per request ($gateway)"
    ;;
  cpu)
    start_gateway
    ticks() { awk '{print $14 + $15}' "/proc/$gateway_pid/stat"; }
    before=$(ticks)
    load "$url" 20000 64
    after=$(ticks)
    sent=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['sent'])" "$work/bench.json")
    echo "$mode: $(python3 -c "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / $sent, 1))") µs CPU per request ($gateway)"
    ;;
  *) echo "usage: $0 instructions|cpu [whole|stream]" >&2; exit 2 ;;
esac
