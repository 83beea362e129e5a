#!/usr/bin/env bash
# What one proxied request costs the gateway, in front of one `autoglm simnode --zero-delay`
# (32-token prompts, 8-token answers, `autoglm bench` closed loop):
#   bench/gateway_cost.sh instructions [whole|stream]   callgrind instructions per request:
#       the slope between a run of 500 and one of 3,000 requests (8 in flight), so start-up
#       and idle work cancel out. Slow (valgrind): about a minute per mode.
#   bench/gateway_cost.sh cpu [whole|stream]            user + system CPU µs per request
#       from /proc, 20,000 requests at 64 in flight.
#   bench/gateway_cost.sh syscalls [whole|stream]       socket calls per request (strace -c,
#       2,000 requests at 64 in flight; strace slows the gateway, the counts stay true).
#   bench/gateway_cost.sh profile [whole|stream]        where the instructions go: callgrind
#       over 2,000 requests, the gateway's own functions by inclusive cost per request
#       (start-up included, so read the per-request split, not the total).
# GATEWAY=path/to/autoglm compares another build's gateway (e.g. an older commit's) against
# the same backend and load generator (BINARY, default build/autoglm). PRELOAD=lib.so runs
# the gateway with that library preloaded (e.g. another malloc).
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
  env ${PRELOAD:+LD_PRELOAD=$PRELOAD} "$@" "$gateway" serve -c "$work/gateway.yaml" --ready-file "$work/gateway.port" >"$work/gateway.log" 2>&1 &
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
    ticks() { awk '{print $14, $15}' "/proc/$gateway_pid/stat"; }
    before=$(ticks)
    load "$url" 20000 64
    after=$(ticks)
    sent=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['sent'])" "$work/bench.json")
    python3 - "$before" "$after" "$(getconf CLK_TCK)" "$sent" "$mode" "$gateway" <<'PY'
import sys
(u0, s0), (u1, s1) = (map(int, a.split()) for a in sys.argv[1:3])
us = lambda t: (t * 1e6 / int(sys.argv[3])) / int(sys.argv[4])
print(f"{sys.argv[5]}: {us(u1 - u0 + s1 - s0):.1f} µs CPU per request "
      f"(user {us(u1 - u0):.1f}, system {us(s1 - s0):.1f}) ({sys.argv[6]})")
PY
    ;;
  syscalls)
    start_gateway strace -f --seccomp-bpf -c -o "$work/strace.txt" \
      -e trace=sendmsg,recvmsg,sendto,recvfrom,writev,readv,read,write,epoll_wait,epoll_ctl,connect,timerfd_settime
    load "$url" 2000 64
    pkill -INT -f "serve -c $work/gateway.yaml" || true  # the gateway; strace then ends
    wait "$gateway_pid" 2>/dev/null || true
    sent=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['sent'])" "$work/bench.json")
    # strace -c columns: % time, seconds, usecs/call, calls, [errors,] syscall.
    awk -v n="$sent" -v mode="$mode" '$4 ~ /^[0-9]+$/ && $NF != "total" {
        printf "%s: %-16s %6.2f per request\n", mode, $NF, $4 / n }' "$work/strace.txt"
    ;;
  profile)
    start_gateway valgrind --tool=callgrind --callgrind-out-file="$work/cg.out"
    load "$url" 2000 8
    kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
    callgrind_annotate --inclusive=yes "$work/cg.out" 2>/dev/null |
      awk -v n=2050 '/^ *[0-9,]+ \(/ && $4 ~ /^src\// {
          c = $1; gsub(",", "", c); f = $4; sub(/\(.*/, "", f); if (!(f in seen) && c / n >= 200) {
            seen[f] = 1; printf "%8.0f  %s\n", c / n, f } }' | sort -rn | head -40
    ;;
  *) echo "usage: $0 instructions|cpu|syscalls|profile [whole|stream]" >&2; exit 2 ;;
esac
