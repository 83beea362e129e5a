#!/usr/bin/env python3
"""Fidelity of the digital twin, at a larger scale than tests/integration/fidelity_test.cpp.

Simulates a scenario (default scenarios/fidelity-large.yaml), then starts one
`autoglm simnode` per node and an `autoglm serve` gateway on loopback, replays the same
request list in real time with streaming chat completions, and prints mean end-to-end
time and success rate, simulated against live, for each policy.

    python3 bench/sim_fidelity.py --binary build/autoglm [--policies round_robin,dynamic]

Needs only the Python standard library. Takes about (scenario length + 30 s) per policy.
The scenario's nodes must all serve the simnode model and name their profile.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

MODEL = "autoglm-sim-8b"


def start(binary, args, workdir, name):
    ready = os.path.join(workdir, name + ".port")
    if os.path.exists(ready):
        os.remove(ready)  # a previous policy's process wrote it
    log = open(os.path.join(workdir, name + ".log"), "w")
    proc = subprocess.Popen([binary] + args + ["--ready-file", ready], stdout=log, stderr=log)
    deadline = time.time() + 15
    while time.time() < deadline:
        if os.path.exists(ready):
            text = open(ready).read().strip()
            if text:
                return proc, int(text)
        time.sleep(0.05)
    proc.kill()
    sys.exit(f"{name} did not start; see {log.name}")


def read_requests(path):
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            arrival, inp, out = line.split(",")[:3]
            rows.append((float(arrival), int(inp), int(out)))
    return rows


def chat_body(inp, out):
    text = " ".join(["word"] * max(1, inp - 6))  # 1 token a word, 6 for the chat format
    return json.dumps({"model": MODEL, "messages": [{"role": "user", "content": text}],
                       "max_tokens": out, "stream": True})


def replay(port, requests, timeout_s):
    e2e = [None] * len(requests)
    t0 = time.monotonic() + 0.5

    def one(i, arrival, inp, out):
        body = chat_body(inp, out)
        time.sleep(max(0.0, t0 + arrival / 1000 - time.monotonic()))
        start = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
            conn.request("POST", "/v1/chat/completions", body, {"content-type": "application/json"})
            res = conn.getresponse()
            data = b""
            while time.monotonic() - start < timeout_s:
                chunk = res.read1(65536)
                if not chunk:
                    break
                data += chunk
            conn.close()
            took = time.monotonic() - start
            if res.status == 200 and b"data: [DONE]" in data and took <= timeout_s:
                e2e[i] = took * 1000
        except OSError:
            pass

    threads = [threading.Thread(target=one, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ok = [x for x in e2e if x is not None]
    return (sum(ok) / len(ok) if ok else 0.0), len(ok) / len(requests)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(here, "..", "build", "autoglm"))
    ap.add_argument("--scenario", default=os.path.join(here, "..", "scenarios", "fidelity-large.yaml"))
    ap.add_argument("--policies", default="round_robin,least_request,dynamic")
    ap.add_argument("--timeout", type=float, default=30.0, help="client timeout (the scenario's)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="autoglm-fidelity-")
    requests_csv = os.path.join(work, "requests.csv")
    report_json = os.path.join(work, "sim.json")
    subprocess.run([args.binary, "simulate", "--scenario", args.scenario, "--policies", args.policies,
                    "--format", "json", "--out", report_json, "--dump-requests", requests_csv, "-q"],
                   check=True)
    sim = json.load(open(report_json))
    requests = read_requests(requests_csv)
    nodes = next(iter(sim["policies"].values()))["nodes"]

    print(f"{sim['scenario']}: {len(requests)} requests, {len(nodes)} nodes")
    print(f"{'policy':<14} {'sim mean e2e':>13} {'live mean e2e':>14} {'diff':>7} {'sim ok':>7} {'live ok':>8}")
    for policy in args.policies.split(","):
        procs, specs = [], []
        for n in nodes:
            proc, port = start(args.binary, ["simnode", "--port", "0", "--profile", n["profile"], "--node-id",
                                             n["id"], "--model", MODEL, "--log-level", "warn"], work, n["id"])
            procs.append(proc)
            specs.append(f"  - {{id: {n['id']}, url: 'http://127.0.0.1:{port}', models: [{MODEL}], "
                         f"labels: {{profile: {n['profile']}}}}}")
        config = os.path.join(work, f"gw-{policy}.yaml")
        with open(config, "w") as f:
            f.write("server:\n  port: 0\n  host: 127.0.0.1\n  threads: 2\nlogging:\n  level: warn\n"
                    f"scheduler:\n  policy: {policy}\ncluster:\n  simulated:\n    enabled: false\n"
                    "nodes:\n" + "\n".join(specs) + "\n")
        gw, gw_port = start(args.binary, ["serve", "-c", config], work, "gateway-" + policy)
        procs.append(gw)
        live_mean, live_ok = replay(gw_port, requests, args.timeout)
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=15)
        s = sim["policies"][policy]
        diff = (live_mean - s["mean_e2e_ms"]) / s["mean_e2e_ms"] * 100 if s["mean_e2e_ms"] else 0
        print(f"{policy:<14} {s['mean_e2e_ms']:>10.0f} ms {live_mean:>11.0f} ms {diff:>+6.1f}% "
              f"{100 * s['success_rate']:>6.1f}% {100 * live_ok:>7.1f}%", flush=True)


if __name__ == "__main__":
    main()
