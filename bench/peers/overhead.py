#!/usr/bin/env python3
"""Gateway overhead: what a proxy in front of one backend costs, measured in one run.

One `autoglm simnode --zero-delay` (answers at once, no modelled GPU time) is the backend;
`autoglm bench` measures it directly, then through Open-AutoGLM, nginx and HAProxy (one
worker thread each), non-streaming and streaming:
  - throughput: closed loop, --concurrency C, as many requests per second as it can;
  - latency: open loop at a fixed rate well below saturation, p50/p99 end-to-end; the
    "added" columns subtract the direct run's figures.

    python3 bench/peers/overhead.py --binary build/autoglm          # `make bench-overhead`
    python3 bench/peers/overhead.py --smoke                          # CI: seconds

Writes bench/results/overhead.md and overhead.json. Exit code 77 when nginx or HAProxy is
not installed.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def systems(a, work):
    return [harness.Direct(),
            harness.Gateway(a.gateway_binary or a.binary, work, "round_robin", threads=a.threads),
            harness.Nginx(work, "round_robin"),
            harness.HAProxy(work, "roundrobin")]


def measure(a, work, cluster, system, stream, mode, rnd):
    url = system.start(cluster.urls())
    name = f"{system.label}-{'stream' if stream else 'whole'}-{mode}-{rnd}".replace(" ", "_")
    args = ["--input-tokens", "32", "--output-tokens", str(a.output_tokens), "--seed", "1",
            "--timeout", "30", "--warmup", str(a.warmup)]
    if mode == "throughput":
        args += ["--rate", "0", "--concurrency", str(a.concurrency), "--requests", str(a.requests)]
    else:
        args += ["--rate", str(a.rate), "--requests", str(a.latency_requests)]
    if not stream:
        args.append("--no-stream")
    proc = getattr(system, "proc", None)  # None: direct, no proxy
    try:
        user0, system0 = harness.cpu_seconds(proc.pid) if proc else (0.0, 0.0)
        result = harness.run_bench(a.binary, url, system.label, os.path.join(work, name + ".json"), args)
        if result is not None and proc:
            # The proxy's own CPU time per request sent (warm-up included): what a request
            # costs it, whatever share of the two cores the scheduler happened to give it.
            sent = max(1, result["summary"]["sent"])
            user1, system1 = harness.cpu_seconds(proc.pid)
            result["proxy_cpu_us"] = 1e6 * (user1 - user0 + system1 - system0) / sent
            result["proxy_system_us"] = 1e6 * (system1 - system0) / sent
        return result
    finally:
        system.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "autoglm"))
    ap.add_argument("--gateway-binary", help="`autoglm serve` from another build (default: --binary)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--requests", type=int, default=20000, help="per throughput run")
    ap.add_argument("--rate", type=float, default=500, help="req/s of the latency runs")
    ap.add_argument("--latency-requests", type=int, default=5000)
    ap.add_argument("--output-tokens", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1, help="gateway I/O threads")
    ap.add_argument("--rounds", type=int, default=3,
                    help="measure every system this many times, in turn; report medians")
    ap.add_argument("--smoke", action="store_true")
    a = ap.parse_args()
    if not (harness.have("nginx") and harness.have("haproxy")):
        print("nginx or haproxy is not installed (scripts/setup.sh installs them): skipped")
        return 77
    if a.smoke:
        a.requests, a.latency_requests, a.warmup, a.rate, a.rounds = 300, 100, 10, 100, 1
        a.out = tempfile.mkdtemp(prefix="autoglm-overhead-smoke-")
    work = tempfile.mkdtemp(prefix="autoglm-overhead-")
    cluster = harness.Cluster(a.binary, work, ["h100-80gb-8b"], extra=["--zero-delay"]).start()
    rows = []
    try:
        for stream in (False, True):
            # Every round measures every system once, in turn, so a slow spell of the
            # shared machine hits all of them alike; each figure is the median over rounds.
            runs = {}
            for rnd in range(a.rounds):
                for system in systems(a, work):
                    tput = measure(a, work, cluster, system, stream, "throughput", rnd)
                    lat = measure(a, work, cluster, system, stream, "latency", rnd)
                    if tput is None or lat is None:
                        return 1
                    e = lat["summary"]["e2e_ms"]
                    runs.setdefault(system.label, []).append(
                        {"req_per_s": tput["summary"]["request_throughput"],
                         "cpu_us": tput.get("proxy_cpu_us"),
                         "system_us": tput.get("proxy_system_us"),
                         "success": min(tput["summary"]["success_rate"], lat["summary"]["success_rate"]),
                         "p50_ms": e["p50"], "p99_ms": e["p99"]})
                    r = runs[system.label][-1]
                    print(f"round {rnd + 1}/{a.rounds} {system.label:<28} {'stream' if stream else 'whole':<6} "
                          f"{r['req_per_s']:>9.0f} req/s p50 {r['p50_ms']:.3f} ms p99 {r['p99_ms']:.3f} ms"
                          + (f" proxy CPU {r['cpu_us']:.1f} us/req" if r["cpu_us"] is not None else ""),
                          file=sys.stderr, flush=True)
            direct = None
            for label, measured in runs.items():
                row = {"system": label, "stream": stream,
                       "req_per_s": statistics.median(m["req_per_s"] for m in measured),
                       "req_per_s_runs": [round(m["req_per_s"]) for m in measured],
                       "success": min(m["success"] for m in measured),
                       "cpu_us": (statistics.median(m["cpu_us"] for m in measured)
                                  if measured[0]["cpu_us"] is not None else None),
                       "system_us": (statistics.median(m["system_us"] for m in measured)
                                     if measured[0]["system_us"] is not None else None),
                       "p50_ms": statistics.median(m["p50_ms"] for m in measured),
                       "p99_ms": statistics.median(m["p99_ms"] for m in measured)}
                if direct is None:
                    direct = row
                row["added_p50_us"] = 1000 * (row["p50_ms"] - direct["p50_ms"])
                row["added_p99_us"] = 1000 * (row["p99_ms"] - direct["p99_ms"])
                rows.append(row)
    finally:
        cluster.stop()
    command = "python3 bench/peers/overhead.py " + " ".join(sys.argv[1:])
    lines = ["# Gateway overhead", "",
             f"Measured {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC on {platform.node()} "
             f"({os.cpu_count()} CPUs shared by the backend, the proxy and the load generator). "
             f"Command: `{command}`", "",
             f"Backend: one `autoglm simnode --zero-delay`; requests of 32 prompt tokens and "
             f"{a.output_tokens} output tokens. Throughput: closed loop, {a.concurrency} in flight, "
             f"{a.requests} requests. Latency: open loop at {a.rate:g} req/s, {a.latency_requests} "
             "requests; added = the system's percentile minus direct's. Proxy CPU: the proxy "
             "process's user + system CPU time (nginx: master and worker) per request of the "
             "throughput run, which does not depend on how the two cores were shared; of it, "
             "the time spent in the kernel (system). "
             f"Each figure is the median of {a.rounds} rounds; every round measures every system "
             "in turn.", "",
             "| system | mode | req/s (closed loop) | rounds' req/s | proxy CPU µs/req | of it system µs | p50 ms | p99 ms | added p50 µs | added p99 µs | success |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['system']} | {'streaming' if r['stream'] else 'whole'} | {r['req_per_s']:.0f} | "
                     f"{', '.join(str(v) for v in r['req_per_s_runs'])} | "
                     f"{'—' if r['cpu_us'] is None else format(r['cpu_us'], '.1f')} | "
                     f"{'—' if r['system_us'] is None else format(r['system_us'], '.1f')} | "
                     f"{r['p50_ms']:.3f} | {r['p99_ms']:.3f} | {r['added_p50_us']:.0f} | "
                     f"{r['added_p99_us']:.0f} | {100 * r['success']:.1f}% |")
    os.makedirs(a.out, exist_ok=True)
    open(os.path.join(a.out, "overhead.md"), "w").write("\n".join(lines) + "\n")
    json.dump({"command": command, "rows": rows}, open(os.path.join(a.out, "overhead.json"), "w"), indent=1)
    print(os.path.join(a.out, "overhead.md"))
    return 0 if all(r["success"] > 0.99 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
