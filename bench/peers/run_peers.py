#!/usr/bin/env python3
"""Open-AutoGLM against nginx and HAProxy, in one run, on the same simnode cluster and the
same request stream.

Starts a heterogeneous cluster of `autoglm simnode` processes on loopback, then puts each
system in front of it in turn (nginx round robin and least_conn, HAProxy roundrobin and
leastconn, the gateway with each policy), replays the same trace window with
`autoglm bench`, and writes bench/results/peers.md, peers.json and latency CDF charts.

    python3 bench/peers/run_peers.py --binary build/autoglm            # `make bench-peers`
    python3 bench/peers/run_peers.py --scenarios main --duration 20    # shorter
    python3 bench/peers/run_peers.py --smoke                           # CI: seconds

Scenarios: `main` (Azure conversation trace), `failure` (the same stream, one node killed
half-way), `prefix` (Mooncake conversation trace: shared prompt prefixes). Exit code 77
when nginx or HAProxy is not installed (CTest's skip code).
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
PROFILES = ["h100-80gb-8b"] * 2 + ["l40s-48gb-8b"] * 3 + ["l4-24gb-8b"] * 3
SYSTEMS = ["nginx:round_robin", "nginx:least_conn", "haproxy:roundrobin", "haproxy:leastconn",
           "autoglm:round_robin", "autoglm:least_request", "autoglm:dynamic",
           "autoglm:prefix_aware", "autoglm:slo_aware"]
# The failure and prefix scenarios, to keep a full run short: the best of each peer.
SECONDARY = ["nginx:least_conn", "haproxy:leastconn", "autoglm:round_robin", "autoglm:least_request",
             "autoglm:dynamic", "autoglm:prefix_aware"]


def make_system(spec, work, binary, cluster, gateway_binary=None):
    kind, arg = spec.split(":")
    if kind == "nginx":
        return harness.Nginx(work, arg)
    if kind == "haproxy":
        return harness.HAProxy(work, arg)
    return harness.Gateway(gateway_binary or binary, work, arg, ids=cluster.ids(), profiles=cluster.profiles)


def scenario_args(name, a):
    common = ["--duration", str(a.duration), "--warmup", str(a.warmup), "--timeout", str(a.timeout),
              "--seed", "1", "--per-request"]
    if name == "prefix":
        return common + ["--trace", os.path.join(DATA, "mooncake_conversation_trace.jsonl"),
                         "--rate-scale", str(a.prefix_rate_scale), "--max-input-tokens", "16000"]
    return common + ["--trace", os.path.join(DATA, "azure2023_AzureLLMInferenceTrace_conv.csv"),
                     "--trace-start", str(a.trace_start), "--rate-scale", str(a.rate_scale)]


def run_one(system, cluster, name, a, work):
    url = system.start(cluster.urls())
    out = os.path.join(work, name, system.label.replace(" ", "_") + ".json")
    args = scenario_args(name, a) + sum((["--metrics-url", m] for m in cluster.metrics_urls()), [])
    killer = None
    if name == "failure":
        # The fastest node (node 0, an H100) dies half-way through the arrivals.
        killer = threading.Timer(a.duration / 2, cluster.kill, args=(0,))
        killer.start()
    try:
        result = harness.run_bench(a.binary, url, system.label, out, args, timeout=a.duration * 10 + 300)
    finally:
        if killer:
            killer.cancel()
        system.stop()
    if name == "failure" and not cluster.alive(0):
        cluster.start_node(0)
    cluster.wait_idle()
    return out, result


def row(label, r):
    s = r["summary"]
    nodes = [n for n in r["nodes"] if n["samples"] > 0]
    busy = sum(n["busy_share"] for n in nodes) / len(nodes) if nodes else 0
    kv = sum(n["mean_kv_usage"] for n in nodes) / len(nodes) if nodes else 0
    t, e = s["ttft_ms"], s["e2e_ms"]
    return (f"| {label} | {t['mean']:.0f} | {t['p50']:.0f} | {t['p99']:.0f} | {e['mean']:.0f} | "
            f"{e['p50']:.0f} | {e['p99']:.0f} | {100 * s['success_rate']:.1f}% | "
            f"{s['request_throughput']:.2f} | {s['output_token_throughput']:.0f} | "
            f"{100 * busy:.0f}% | {100 * kv:.0f}% |")


HEADER = ("| system | mean TTFT ms | p50 TTFT | p99 TTFT | mean e2e ms | p50 e2e | p99 e2e | "
          "success | req/s | out tok/s | GPU busy | KV use |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

TITLES = {"main": "Azure conversation trace",
          "failure": "Azure conversation trace, node 0 (an H100) killed half-way",
          "prefix": "Mooncake conversation trace (shared prefixes)"}


def write_report(a, results, workloads, out_dir, command):
    os.makedirs(out_dir, exist_ok=True)
    lines = ["# Open-AutoGLM against nginx and HAProxy", "",
             f"Measured {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC on {platform.node()} "
             f"({os.cpu_count()} CPUs, shared by the cluster, the proxy and the load generator).",
             f"Command: `{command}`", "",
             f"Cluster: {len(a.profiles)} simnodes on loopback ({', '.join(sorted(set(a.profiles)))}: "
             + ", ".join(f"{a.profiles.count(p)}x {p}" for p in sorted(set(a.profiles)))
             + f"), speedup {a.speedup}, prefix caching on. Every system gets the same request stream "
             "(`autoglm bench`, same seed) and a cluster with nothing running. "
             "GPU busy: share of /metrics samples (every 0.5 s) with a running request, "
             "averaged over the nodes; KV use: mean vllm:gpu_cache_usage_perc.", ""]
    for name, rows in results.items():
        lines += [f"## {TITLES[name]}", "", f"Workload: {workloads.get(name, '')}", "", HEADER]
        lines += [row(label, r) for label, r in rows]
        lines += ["", f"![TTFT](peers/peers-{name}-ttft_cdf.svg) ![e2e](peers/peers-{name}-e2e_cdf.svg)", ""]
    open(os.path.join(out_dir, "peers.md"), "w").write("\n".join(lines))
    summary = {name: {label: {"summary": r["summary"], "nodes": r["nodes"], "workload": r["workload"]}
                      for label, r in rows} for name, rows in results.items()}
    json.dump({"command": command, "profiles": a.profiles, "speedup": a.speedup, "scenarios": summary},
              open(os.path.join(out_dir, "peers.json"), "w"), indent=1)


def charts(a, name, files, out_dir):
    d = os.path.join(out_dir, "peers")
    os.makedirs(d, exist_ok=True)
    subprocess.run([a.binary, "bench", "--compare", *files, "--chart-dir", d, "--label", TITLES[name]],
                   check=True, stdout=subprocess.DEVNULL)
    for m in ("ttft", "e2e"):
        os.replace(os.path.join(d, f"{m}_cdf.svg"), os.path.join(d, f"peers-{name}-{m}_cdf.svg"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "autoglm"))
    ap.add_argument("--gateway-binary", help="`autoglm serve` from another build (default: --binary)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--scenarios", default="main,failure,prefix")
    ap.add_argument("--systems", help="comma-separated kind:policy (default: all for main, six for the others)")
    ap.add_argument("--duration", type=float, default=15, help="seconds of arrivals per system")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--trace-start", type=float, default=600)
    ap.add_argument("--rate-scale", type=float, default=4)
    ap.add_argument("--prefix-rate-scale", type=float, default=1)
    ap.add_argument("--speedup", type=float, default=1)
    ap.add_argument("--timeout", type=float, default=45, help="client timeout per request, s")
    ap.add_argument("--smoke", action="store_true", help="tiny run for CI (about 20 s)")
    a = ap.parse_args()
    a.profiles = PROFILES
    if not (harness.have("nginx") and harness.have("haproxy")):
        print("nginx or haproxy is not installed (scripts/setup.sh installs them): skipped")
        return 77
    if not os.path.isdir(DATA):
        print(f"{DATA} is missing (the shared traces beside the project): skipped")
        return 77
    if a.smoke:
        a.profiles = ["h100-80gb-8b", "l4-24gb-8b"]
        a.scenarios, a.duration, a.warmup, a.rate_scale, a.speedup = "main", 2, 2, 1, 4
        a.systems = "nginx:least_conn,haproxy:leastconn,autoglm:dynamic"
        a.out = tempfile.mkdtemp(prefix="autoglm-peers-smoke-")
    command = "python3 bench/peers/run_peers.py " + " ".join(sys.argv[1:])
    work = tempfile.mkdtemp(prefix="autoglm-peers-")
    # vLLM caches prompt prefixes by default; so do these nodes (it matters to `prefix` only:
    # the Azure prompts share no text).
    cluster = harness.Cluster(a.binary, work, a.profiles, a.speedup, extra=["--prefix-caching"]).start()
    results, workloads = {}, {}
    try:
        for name in a.scenarios.split(","):
            os.makedirs(os.path.join(work, name), exist_ok=True)
            rows, files = [], []
            specs = a.systems.split(",") if a.systems else (SYSTEMS if name == "main" else SECONDARY)
            for spec in specs:
                system = make_system(spec, work, a.binary, cluster, a.gateway_binary)
                print(f"[{name}] {system.label} ...", file=sys.stderr, flush=True)
                out, r = run_one(system, cluster, name, a, work)
                if r is None:
                    continue
                rows.append((system.label, r))
                files.append(out)
                workloads[name] = r["workload"]
                print("  " + row(system.label, r), file=sys.stderr, flush=True)
            results[name] = rows
            if files:
                charts(a, name, files, a.out)
            write_report(a, results, workloads, a.out, command)
    finally:
        cluster.stop()
    ok = all(r["summary"]["succeeded"] > 0 for rows in results.values() for _, r in rows)
    print(os.path.join(a.out, "peers.md"))
    return 0 if ok and results and all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
