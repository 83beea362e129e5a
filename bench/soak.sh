#!/usr/bin/env bash
# Soak: a bounded run at a steady, high request rate through the gateway to its embedded
# simulated nodes on loopback. Reports unexpected errors, resident memory growth after
# warm-up and file-descriptor growth of the gateway, and fails when any is out of bounds
# (errors > 0, RSS growth > 10 %, fd growth > 16).
#
#   bench/soak.sh [--duration 600] [--warmup 60] [--rate 400] [--binary build/autoglm]
#                 [--out soak.json]
#
# Load comes from `autoglm bench` (closed to --concurrency, open-loop at --rate), run in
# consecutive windows so the gateway's RSS and fd count can be sampled between them.
set -euo pipefail

duration=600
warmup=60
rate=400
concurrency=256
window=30
binary=""
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
if [[ -z "$binary" ]]; then
  for candidate in "$root/build/autoglm" "$root"/build-*/autoglm; do
    [[ -x "$candidate" ]] && { binary=$candidate; break; }
  done
fi
[[ -x "$binary" ]] || { echo "soak: no autoglm binary (pass --binary)" >&2; exit 2; }
"$binary" bench --help >/dev/null 2>&1 || { echo "soak: $binary has no 'bench' command" >&2; exit 2; }

work=$(mktemp -d)
gateway_pid=""
cleanup() {
  [[ -n "$gateway_pid" ]] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/soak.yaml" <<EOF
server: {port: 0, host: 127.0.0.1, drain-pause: 0s, threads: 2}
database: {url: "sqlite://$work/autoglm.db"}
logging: {level: warn}
scheduler: {policy: least_request}
cluster:
  simulated:
    enabled: true
    speedup: 100
    nodes: [{profile: h100-80gb-8b, count: 4}]
EOF
"$binary" serve -c "$work/soak.yaml" --ready-file "$work/port" >"$work/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { echo "soak: the gateway did not start" >&2; cat "$work/gateway.log" >&2; exit 1; }
port=$(cat "$work/port")

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$gateway_pid/status"; }
fd_count() { ls "/proc/$gateway_pid/fd" | wc -l; }

samples="$work/samples.tsv"
echo -e "t_s\trss_kib\tfds\tsent\tok\terrors" >"$samples"
elapsed=0
total_sent=0
total_ok=0
total_errors=0
while (( elapsed < duration )); do
  span=$(( duration - elapsed < window ? duration - elapsed : window ))
  "$binary" bench --url "http://127.0.0.1:$port" --model autoglm-sim-8b --rate "$rate" \
    --duration "$span" --concurrency "$concurrency" --input-tokens 64 --output-tokens 16 \
    --no-stream --warmup 0 --timeout 30 --seed "$elapsed" --quiet --out "$work/window.json" \
    >/dev/null 2>"$work/bench.err" || true
  read -r sent ok errors < <(python3 - "$work/window.json" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))["summary"]
    print(s["sent"], s["succeeded"], s["sent"] - s["succeeded"])
except Exception:
    print(0, 0, 1)
PY
)
  elapsed=$(( elapsed + span ))
  total_sent=$(( total_sent + sent ))
  total_ok=$(( total_ok + ok ))
  total_errors=$(( total_errors + errors ))
  echo -e "$elapsed\t$(rss_kib)\t$(fd_count)\t$sent\t$ok\t$errors" >>"$samples"
  kill -0 "$gateway_pid" 2>/dev/null || { echo "soak: the gateway died" >&2; cat "$work/gateway.log" >&2; exit 1; }
done

python3 - "$samples" "$warmup" "$total_sent" "$total_ok" "$total_errors" "${out:-}" <<'PY'
import csv, json, sys
path, warmup, sent, ok, errors, out = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:6]), sys.argv[6]
rows = list(csv.DictReader(open(path), delimiter="\t"))
after = [r for r in rows if int(r["t_s"]) >= warmup] or rows[-1:]
base, last = after[0], rows[-1]
rss0, rss1 = int(base["rss_kib"]), int(last["rss_kib"])
fd0, fd1 = int(base["fds"]), int(last["fds"])
growth = (rss1 - rss0) / rss0 * 100 if rss0 else 0.0
report = {"duration_s": int(last["t_s"]), "warmup_s": warmup, "sent": sent, "succeeded": ok,
          "errors": errors, "rss_after_warmup_kib": rss0, "rss_final_kib": rss1,
          "rss_max_kib": max(int(r["rss_kib"]) for r in rows), "rss_growth_pct": round(growth, 2),
          "fds_after_warmup": fd0, "fds_final": fd1, "samples": rows}
print(f"soak: {report['duration_s']} s, {sent} requests, {errors} errors, "
      f"RSS {rss0} -> {rss1} KiB after warm-up ({growth:+.1f} %, max {report['rss_max_kib']} KiB), "
      f"fds {fd0} -> {fd1}")
for r in rows:
    print(f"  t={r['t_s']:>5}s rss={r['rss_kib']:>8} KiB fds={r['fds']:>4} sent={r['sent']:>6} errors={r['errors']}")
if out:
    json.dump(report, open(out, "w"), indent=2)
bad = errors > 0 or growth > 10 or fd1 - fd0 > 16
print("soak: FAIL" if bad else "soak: PASS")
sys.exit(1 if bad else 0)
PY
