#!/usr/bin/env python3
"""Prints one table of every Google Benchmark result file given (--benchmark_out JSON):
suite, benchmark, real and CPU time per iteration, and throughput where a suite reports it.

    python3 bench/summarize.py build/bench/results/*.json      # `make bench` does this
"""
import json
import os
import sys

UNITS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def human(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main(paths):
    rows = []
    for path in paths:
        suite = os.path.splitext(os.path.basename(path))[0]
        try:
            doc = json.load(open(path))
        except (OSError, ValueError) as e:
            rows.append((suite, f"(unreadable: {e})", "", "", ""))
            continue
        for b in doc.get("benchmarks", []):
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "mean":
                continue
            scale = UNITS.get(b.get("time_unit", "ns"), 1)
            extra = ""
            if "bytes_per_second" in b:
                extra = f"{b['bytes_per_second'] / 1e6:.0f} MB/s"
            elif "items_per_second" in b:
                extra = f"{b['items_per_second']:.3g} items/s"
            rows.append((suite, b["name"], human(b["real_time"] * scale), human(b["cpu_time"] * scale), extra))
    if not rows:
        print("no benchmark results")
        return 1
    widths = [max(len(r[i]) for r in rows + [("suite", "benchmark", "real", "cpu", "")]) for i in range(5)]
    print(f"{'suite':<{widths[0]}}  {'benchmark':<{widths[1]}}  {'real':>{widths[2]}}  {'cpu':>{widths[3]}}  throughput")
    for r in rows:
        print(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}  {r[4]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
