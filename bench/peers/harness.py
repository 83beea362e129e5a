"""Processes for the peer and overhead benchmarks: a cluster of `autoglm simnode`s and the
systems put in front of it (nginx, HAProxy, the Open-AutoGLM gateway), each started on free
loopback ports and stopped again. Python standard library only.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

MODEL = "autoglm-sim-8b"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(proc, ready_file, name, log, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{name} exited with {proc.returncode}; see {log}")
        if os.path.exists(ready_file):
            text = open(ready_file).read().strip()
            if text:
                return int(text)
        time.sleep(0.05)
    proc.kill()
    sys.exit(f"{name} did not start within {timeout} s; see {log}")


def wait_port(proc, port, name, log, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{name} exited with {proc.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit(f"{name} is not listening on {port} after {timeout} s; see {log}")


def cpu_seconds(pid):
    """(user, system) CPU seconds of process `pid` and all its descendants (nginx's
    workers), from /proc; (0.0, 0.0) when it is gone."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # after the command: state ppid ... utime(12th) stime(13th)
            stats[int(entry)] = (int(fields[1]), int(fields[11]), int(fields[12]))
    user, system, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        if p in stats:
            user += stats[p][1]
            system += stats[p][2]
        todo.extend(child for child, (parent, _, _) in stats.items() if parent == p)
    return user / tick, system / tick


def stop(proc, timeout=15):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def http_get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as res:
        return res.read().decode()


class Cluster:
    """Simnodes on loopback, one per profile listed; node i keeps its port across restarts."""

    def __init__(self, binary, work, profiles, speedup=1.0, extra=()):
        self.binary, self.work, self.profiles = binary, work, profiles
        self.speedup, self.extra = speedup, list(extra)
        self.procs = [None] * len(profiles)
        self.ports = [0] * len(profiles)

    def ids(self):
        return [f"node-{i}-{p.split('-')[0]}" for i, p in enumerate(self.profiles)]

    def start_node(self, i):
        name = self.ids()[i]
        ready = os.path.join(self.work, name + ".port")
        if os.path.exists(ready):
            os.remove(ready)
        log = os.path.join(self.work, name + ".log")
        args = [self.binary, "simnode", "--port", str(self.ports[i]), "--profile", self.profiles[i],
                "--node-id", name, "--model", MODEL, "--log-level", "warn",
                "--speedup", str(self.speedup), "--ready-file", ready] + self.extra
        self.procs[i] = subprocess.Popen(args, stdout=open(log, "a"), stderr=subprocess.STDOUT)
        self.ports[i] = wait_ready(self.procs[i], ready, name, log)

    def start(self):
        for i in range(len(self.profiles)):
            self.start_node(i)
        return self

    def kill(self, i):
        self.procs[i].send_signal(signal.SIGKILL)
        self.procs[i].wait()

    def alive(self, i):
        return self.procs[i] is not None and self.procs[i].poll() is None

    def urls(self):
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    def metrics_urls(self):
        return [u + "/metrics" for u in self.urls()]

    def wait_idle(self, timeout=120):
        """Until no live node has a request running or waiting: the next system starts clean."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            busy = 0
            for i, url in enumerate(self.metrics_urls()):
                if not self.alive(i):
                    continue
                try:
                    for line in http_get(url).splitlines():
                        if line.startswith(("vllm:num_requests_running", "vllm:num_requests_waiting")):
                            busy += float(line.rsplit(" ", 1)[1])
                except OSError:
                    pass
            if busy == 0:
                return
            time.sleep(0.5)

    def stop(self):
        for p in self.procs:
            stop(p)


class Nginx:
    """Debian's nginx, one worker, as a streaming reverse proxy with passive health checks."""

    def __init__(self, work, balance):
        self.work, self.balance = work, balance  # balance: "round_robin" or "least_conn"
        self.label = "nginx " + balance
        self.proc = None

    def start(self, upstream_urls):
        port = free_port()
        d = os.path.join(self.work, "nginx")
        os.makedirs(d, exist_ok=True)
        servers = "\n".join(f"    server {u[len('http://'):]} max_fails=1 fail_timeout=10s;"
                            for u in upstream_urls)
        method = "least_conn;" if self.balance == "least_conn" else ""
        user = "user root;" if os.geteuid() == 0 else ""
        conf = f"""{user}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 8000; }}
worker_rlimit_nofile 16384;
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  client_max_body_size 16m;
  client_body_buffer_size 1m;
  keepalive_requests 1000000;
  upstream backends {{
    {method}
{servers}
    keepalive 256;
  }}
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    location / {{
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
      proxy_next_upstream error timeout http_502 http_503;
    }}
  }}
}}
"""
        path = os.path.join(d, "nginx.conf")
        open(path, "w").write(conf)
        log = os.path.join(d, "stderr.log")
        self.proc = subprocess.Popen(["nginx", "-p", d, "-c", path, "-e", f"{d}/error.log",
                                      "-g", "daemon off;"], stdout=open(log, "a"), stderr=subprocess.STDOUT)
        wait_port(self.proc, port, self.label, log)
        return f"http://127.0.0.1:{port}"

    def stop(self):
        stop(self.proc)


class HAProxy:
    """Debian's HAProxy, one thread, HTTP mode with active health checks (GET /health)."""

    def __init__(self, work, balance):
        self.work, self.balance = work, balance  # "roundrobin" or "leastconn"
        self.label = "HAProxy " + balance
        self.proc = None

    def start(self, upstream_urls):
        port = free_port()
        d = os.path.join(self.work, "haproxy")
        os.makedirs(d, exist_ok=True)
        servers = "\n".join(f"  server n{i} {u[len('http://'):]}" for i, u in enumerate(upstream_urls))
        conf = f"""global
  maxconn 8000
  nbthread 1
defaults
  mode http
  timeout connect 2s
  timeout client 300s
  timeout server 300s
  retries 2
  option redispatch
frontend fe
  bind 127.0.0.1:{port}
  default_backend be
backend be
  balance {self.balance}
  option httpchk GET /health
  http-check expect status 200
  default-server check inter 1s fall 2 rise 1
{servers}
"""
        path = os.path.join(d, "haproxy.cfg")
        open(path, "w").write(conf)
        log = os.path.join(d, "stderr.log")
        self.proc = subprocess.Popen(["haproxy", "-db", "-f", path], stdout=open(log, "a"),
                                     stderr=subprocess.STDOUT)
        wait_port(self.proc, port, self.label, log)
        return f"http://127.0.0.1:{port}"

    def stop(self):
        stop(self.proc)


class Gateway:
    """`autoglm serve` with the given policy and the cluster's nodes (labelled by profile)."""

    def __init__(self, binary, work, policy, threads=1, ids=None, profiles=None):
        self.binary, self.work, self.policy, self.threads = binary, work, policy, threads
        self.ids, self.profiles = ids, profiles
        self.label = "Open-AutoGLM " + policy
        self.proc = None

    def start(self, upstream_urls):
        ids = self.ids or [f"n{i}" for i in range(len(upstream_urls))]
        nodes = []
        for i, u in enumerate(upstream_urls):
            labels = f", labels: {{profile: {self.profiles[i]}}}" if self.profiles else ""
            nodes.append(f"  - {{id: {ids[i]}, url: '{u}', models: [{MODEL}]{labels}}}")
        config = os.path.join(self.work, f"gateway-{self.policy}.yaml")
        open(config, "w").write(
            f"server:\n  port: 0\n  host: 127.0.0.1\n  threads: {self.threads}\n"
            "logging:\n  level: warn\n"
            "database:\n  url: 'sqlite::memory:'\n"
            f"scheduler:\n  policy: {self.policy}\n"
            "cluster:\n  simulated:\n    enabled: false\n"
            "nodes:\n" + "\n".join(nodes) + "\n")
        ready = os.path.join(self.work, f"gateway-{self.policy}.port")
        if os.path.exists(ready):
            os.remove(ready)
        log = os.path.join(self.work, f"gateway-{self.policy}.log")
        self.proc = subprocess.Popen([self.binary, "serve", "-c", config, "--ready-file", ready],
                                     stdout=open(log, "a"), stderr=subprocess.STDOUT)
        port = wait_ready(self.proc, ready, self.label, log)
        return f"http://127.0.0.1:{port}"

    def stop(self):
        stop(self.proc)


class Direct:
    """No proxy: the load generator talks to the first backend itself."""

    label = "direct"

    def start(self, upstream_urls):
        return upstream_urls[0]

    def stop(self):
        pass


def have(program):
    return shutil.which(program) is not None


def run_bench(binary, url, label, out, args, timeout=None):
    """Runs `autoglm bench` and returns its JSON result (None when it failed to run)."""
    cmd = [binary, "bench", "--url", url, "--label", label, "--out", out, "-q"] + args
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    if not os.path.exists(out):
        print(f"bench failed for {label}: {done.stderr.strip()}", file=sys.stderr)
        return None
    return json.load(open(out))
