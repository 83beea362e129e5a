#!/usr/bin/env bash
# Crash safety at scale: the integration test WorkflowCrash with 10,000 tasks (or $1).
# A real gateway with the embedded simulated cluster accepts the tasks and a DAG, is
# killed with SIGKILL once a tenth are done, restarts on the same SQLite file and must
# finish every task with exactly one result. Prints the measured figures.
#
#   bench/workflow_crash.sh [TASKS] [BUILD_DIR]    (defaults: 10000, build)
set -euo pipefail
tasks="${1:-10000}"
build="${2:-build}"
here="$(cd "$(dirname "$0")/.." && pwd)"
binary="$here/$build/tests/test_integration"
if [[ ! -x "$binary" ]]; then
  echo "no $binary: build it first (cmake --build $build --target test_integration autoglm)" >&2
  exit 2
fi
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
AUTOGLM_CRASH_TASKS="$tasks" AUTOGLM_CRASH_REPORT="$report" \
  "$binary" --gtest_filter='WorkflowCrash.*' --gtest_brief=1
echo "--- workflow crash figures ($(nproc) cores) ---"
cat "$report"
