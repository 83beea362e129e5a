#!/usr/bin/env python3
"""Socket calls per request of nginx or HAProxy as a proxy, counted like the gateway's.

    python3 bench/peers/proxy_syscalls.py nginx whole      # or: haproxy, stream

The same set-up as `bench/gateway_cost.sh syscalls` (one `autoglm simnode --zero-delay`,
32-token prompts, 8-token answers, 2,000 requests at 64 in flight from `autoglm bench`),
with the proxy configured as `bench/peers/overhead.py` runs it (harness.py), and `strace -c`
attached to its worker for the measured requests only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("proxy", choices=["nginx", "haproxy"], nargs="?", default="nginx")
    ap.add_argument("mode", choices=["whole", "stream"], nargs="?", default="whole")
    ap.add_argument("--binary", default="build/autoglm")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--smoke", action="store_true",
                    help="a tiny run that only checks the script works (CTest); exits 77 "
                         "(skipped) without strace or the proxy, or where ptrace is denied")
    a = ap.parse_args()
    warm = 500
    if a.smoke:
        a.requests, warm = 50, 20
        if not harness.have("strace") or not harness.have(a.proxy):
            sys.exit(77)

    work = tempfile.mkdtemp(prefix="autoglm-syscalls-")
    port_file = os.path.join(work, "node.port")
    node = subprocess.Popen([a.binary, "simnode", "--zero-delay", "--port", "0", "--ready-file",
                             port_file, "--model", "autoglm-sim-8b", "--log-level", "warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = None
    try:
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        node_url = "http://127.0.0.1:" + open(port_file).read().strip()
        proxy = (harness.Nginx(work, "round_robin") if a.proxy == "nginx"
                 else harness.HAProxy(work, "roundrobin"))
        url = proxy.start([node_url])
        # nginx's worker is the master's child; HAProxy runs as one process.
        children = subprocess.run(["pgrep", "-P", str(proxy.proc.pid)], capture_output=True,
                                  text=True).stdout.split()
        pid = children[0] if children else str(proxy.proc.pid)
        load = [a.binary, "bench", "--url", url, "--input-tokens", "32", "--output-tokens", "8",
                "--seed", "1", "--timeout", "60", "--rate", "0", "--concurrency", "64", "-q",
                "--warmup", "0"] + ([] if a.mode == "stream" else ["--no-stream"])
        subprocess.run(load + ["--label", "warm", "--out", f"{work}/warm.json", "--requests", str(warm)],
                       stdout=subprocess.DEVNULL, check=True)
        trace = subprocess.Popen(["strace", "-f", "-c", "-o", f"{work}/strace.txt", "-p", pid],
                                 stderr=subprocess.DEVNULL)
        time.sleep(1)  # attached before the measured requests
        subprocess.run(load + ["--label", "m", "--out", f"{work}/m.json",
                               "--requests", str(a.requests)], stdout=subprocess.DEVNULL, check=True)
        sent = json.load(open(f"{work}/m.json"))["summary"]["sent"]
        trace.send_signal(2)
        trace.wait()
        # strace -c columns: % time, seconds, usecs/call, calls, [errors,] syscall.
        counted = 0
        for line in open(f"{work}/strace.txt"):
            f = line.split()
            if len(f) >= 5 and f[3].isdigit() and f[-1] != "total":
                print(f"{a.proxy} {a.mode}: {f[-1]:16s} {int(f[3]) / sent:6.2f} per request")
                counted += 1
        if counted == 0:
            print("strace counted nothing (is ptrace allowed here?)", file=sys.stderr)
            sys.exit(77 if a.smoke else 1)
    finally:
        if proxy:
            proxy.stop()
        node.terminate()
        node.wait()


if __name__ == "__main__":
    main()
