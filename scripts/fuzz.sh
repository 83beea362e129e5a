#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan) into build-fuzz and runs
# each for SECONDS (default 60), starting from fuzz/corpus/<target>. New corpus entries go
# to build-fuzz/corpus/<target>; crashing inputs to fuzz/crashes/<target>/.
#   scripts/fuzz.sh [seconds] [target...]
# Needs clang-14 and libclang-rt-14-dev. Exits non-zero when any target found a crash.
# FUZZ_SEED=N makes the mutation sequence repeatable (CI uses it, so a red run can be
# replayed here with the same seed); unset or 0 draws a fresh seed each run.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
jobs="${FUZZ_BUILD_JOBS:-2}"
cxx="${CXX_FUZZ:-$(command -v clang++-14 || command -v clang++)}"

cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$jobs"

read -r -a available <<<"$(tr ';' ' ' <build-fuzz/targets.txt)"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${available[@]}")

declare -A result
status=0
for t in "${targets[@]}"; do
  bin="build-fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "no target $t (have: ${available[*]})" >&2; exit 2; }
  mkdir -p "build-fuzz/corpus/$t" "fuzz/crashes/$t"
  log="build-fuzz/fuzz_$t.log"
  echo "== $t: ${seconds}s"
  set +e
  "$bin" -seed="${FUZZ_SEED:-0}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="fuzz/crashes/$t/" \
    "build-fuzz/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  if [ $rc -eq 0 ]; then
    result[$t]="ok      runs=$runs cov=$cov"
  else
    result[$t]="FAILED  rc=$rc runs=$runs (see $log and fuzz/crashes/$t/)"
    status=1
    # CI keeps only what is printed: show the report and the input that caused it.
    echo "-- $t failed (rc=$rc); the end of $log:"
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse|RELOAD)' "$log" | tail -n 40
    for f in $(grep -o "Test unit written to [^ ]*" "$log" | awk '{print $5}'); do
      echo "-- input $f (base64):"
      head -c 4096 "$f" | base64
    done
  fi
done

echo
echo "fuzz summary (${seconds}s each):"
for t in "${targets[@]}"; do printf '  %-20s %s\n' "$t" "${result[$t]}"; done
exit $status
