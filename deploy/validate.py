#!/usr/bin/env python3
"""Checks deploy/kubernetes and deploy/systemd: what would break a deployment before it runs.

Kubernetes (every *.yaml, parsed with PyYAML):
  - every document has apiVersion, kind and metadata.name, with the apiVersion of its kind;
  - kustomization.yaml lists exactly the other files;
  - Deployments and DaemonSets: the selector matches the template's labels; every container
    has an image; a container with ports has readiness and liveness probes on those ports;
    ConfigMap/Secret references name objects and keys defined here;
  - Services select a workload and target its ports; PDBs and HPAs target the Deployment;
    HPA Pods/External metrics are metrics the gateway exports (src/api/gateway_metrics.cpp);
  - the gateway's ConfigMap: its files parse; the port, probe paths, grace period, ${VAR}
    environment and etcd endpoints agree with the Deployment and the DaemonSet; with
    --binary, `autoglm config check` accepts it (the cluster profile only when the binary
    knows the cluster.etcd keys).
systemd: `systemd-analyze verify` on each unit when the tool is there (skipped otherwise),
and the gateway's TimeoutStopSec covers the drain.

Exit status 0 when everything holds, 1 with one line per problem otherwise.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    sys.exit("validate: needs PyYAML (Debian: python3-yaml; scripts/setup.sh installs it)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

API_VERSIONS = {
    "Namespace": "v1",
    "ConfigMap": "v1",
    "Secret": "v1",
    "Service": "v1",
    "Deployment": "apps/v1",
    "DaemonSet": "apps/v1",
    "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
}
KUSTOMIZATION = "kustomize.config.k8s.io/v1beta1"
DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
GATEWAY_CONFIG = "autoglm-gateway-config"


class Problems:
    def __init__(self):
        self.lines = []

    def add(self, where, message):
        self.lines.append(f"{where}: {message}")


def parse_duration_ms(text):
    """The gateway's duration syntax (docs/configuration.md): 500ms, 10s, 1m30s, or ms."""
    text = str(text).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    units = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
    parts = re.findall(r"(\d+)(ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(n) * units[u] for n, u in parts)


def get(tree, path, default=None):
    for key in path.split("."):
        if not isinstance(tree, dict) or key not in tree:
            return default
        tree = tree[key]
    return tree


# --- loading --------------------------------------------------------------------------


def load_manifests(kube_dir, problems):
    """[(file, index, doc)] for every document of every *.yaml but kustomization.yaml."""
    docs, kustomization = [], None
    for name in sorted(os.listdir(kube_dir)):
        if not name.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(kube_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                loaded = [d for d in yaml.safe_load_all(f) if d is not None]
        except yaml.YAMLError as e:
            problems.add(name, f"YAML syntax error: {e}")
            continue
        if name == "kustomization.yaml":
            kustomization = loaded[0] if loaded else {}
            continue
        for i, doc in enumerate(loaded):
            docs.append((name, i, doc))
    return docs, kustomization


def check_basics(docs, problems):
    """Every document is a known kind with the right apiVersion and a valid name."""
    good = []
    for file, i, doc in docs:
        where = f"{file}[{i}]"
        if not isinstance(doc, dict):
            problems.add(where, "not a mapping")
            continue
        kind, api = doc.get("kind"), doc.get("apiVersion")
        name = get(doc, "metadata.name")
        if not kind or not api or not name:
            problems.add(where, "needs apiVersion, kind and metadata.name")
            continue
        if kind not in API_VERSIONS:
            problems.add(where, f"kind {kind} is not one this check knows; add it to API_VERSIONS")
            continue
        if api != API_VERSIONS[kind]:
            problems.add(where, f"{kind} {name}: apiVersion {api}, expected {API_VERSIONS[kind]}")
        if not DNS1123.match(str(name)) or len(str(name)) > 63:
            problems.add(where, f"{kind} {name}: not a valid object name")
        good.append((f"{file}: {kind} {name}", doc))
    return good


def check_kustomization(kube_dir, kustomization, problems):
    if kustomization is None:
        problems.add("kustomization.yaml", "missing")
        return
    if kustomization.get("apiVersion") != KUSTOMIZATION or kustomization.get("kind") != "Kustomization":
        problems.add("kustomization.yaml", f"expected apiVersion {KUSTOMIZATION}, kind Kustomization")
    listed = set(kustomization.get("resources") or [])
    present = {n for n in os.listdir(kube_dir)
               if n.endswith((".yaml", ".yml")) and n != "kustomization.yaml"}
    for name in sorted(present - listed):
        problems.add("kustomization.yaml", f"{name} is not listed in resources")
    for name in sorted(listed - present):
        problems.add("kustomization.yaml", f"lists {name}, which does not exist")


# --- workloads ------------------------------------------------------------------------


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def container_ports(container):
    ports = set()
    for p in container.get("ports") or []:
        ports.add(p.get("containerPort"))
        if p.get("name"):
            ports.add(p["name"])
    return ports


def check_refs(where, pod, objects, problems):
    """configMapKeyRef, secretKeyRef and configMap volumes point at objects defined here."""
    def key_exists(kind, name, key):
        doc = objects.get((kind, name))
        if doc is None:
            return False
        data = dict(doc.get("data") or {})
        data.update(doc.get("stringData") or {})
        return key is None or key in data

    for c in (pod.get("containers") or []) + (pod.get("initContainers") or []):
        for env in c.get("env") or []:
            for ref_kind, field in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
                ref = get(env, f"valueFrom.{field}")
                if ref and not ref.get("optional") and not key_exists(ref_kind, ref.get("name"), ref.get("key")):
                    problems.add(where, f"env {env.get('name')}: {ref_kind} {ref.get('name')} has no key {ref.get('key')}")
    for volume in pod.get("volumes") or []:
        cm = volume.get("configMap")
        if cm:
            for item in cm.get("items") or [None]:
                key = item.get("key") if item else None
                if not key_exists("ConfigMap", cm.get("name"), key):
                    problems.add(where, f"volume {volume.get('name')}: ConfigMap {cm.get('name')} has no key {key}")


def check_workload(where, doc, objects, problems):
    selector = get(doc, "spec.selector.matchLabels") or {}
    labels = get(doc, "spec.template.metadata.labels") or {}
    if not selects(selector, labels):
        problems.add(where, f"spec.selector.matchLabels {selector} does not match the template's labels {labels}")
    pod = get(doc, "spec.template.spec") or {}
    containers = pod.get("containers") or []
    if not containers:
        problems.add(where, "no containers")
    for c in containers:
        cw = f"{where}: container {c.get('name')}"
        if not c.get("image"):
            problems.add(cw, "no image")
        if not get(c, "resources.requests"):
            problems.add(cw, "no resources.requests (the scheduler cannot place it sensibly)")
        ports = container_ports(c)
        if not ports:
            continue  # nothing listens (the agent): nothing to probe
        for probe in ("readinessProbe", "livenessProbe"):
            if probe not in c:
                problems.add(cw, f"serves on {sorted(map(str, ports))} but has no {probe}")
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            port = get(c, f"{probe}.httpGet.port")
            if port is not None and port not in ports:
                problems.add(cw, f"{probe} uses port {port}, which the container does not declare")
    check_refs(where, pod, objects, problems)


def check_service(where, doc, workloads, problems):
    selector = get(doc, "spec.selector") or {}
    matched = [(w, d) for w, d in workloads if selects(selector, get(d, "spec.template.metadata.labels") or {})]
    if not matched:
        problems.add(where, f"selector {selector} matches no Deployment or DaemonSet here")
        return
    for port in get(doc, "spec.ports") or []:
        target = port.get("targetPort", port.get("port"))
        declared = set()
        for _, d in matched:
            for c in get(d, "spec.template.spec.containers") or []:
                declared |= container_ports(c)
        if target not in declared:
            problems.add(where, f"targetPort {target} is no port of the selected pods")


def check_pdb(where, doc, deployments, problems):
    selector = get(doc, "spec.selector.matchLabels") or {}
    if not any(selects(selector, get(d, "spec.template.metadata.labels") or {}) for d in deployments.values()):
        problems.add(where, f"selector {selector} matches no Deployment's pods")
    if ("minAvailable" in doc.get("spec", {})) == ("maxUnavailable" in doc.get("spec", {})):
        problems.add(where, "needs exactly one of minAvailable and maxUnavailable")


def exported_metrics():
    with open(os.path.join(ROOT, "src/api/gateway_metrics.cpp"), encoding="utf-8") as f:
        return set(re.findall(r'"(autoglm_[a-z0-9_]+)"', f.read()))


def check_hpa(where, doc, deployments, problems):
    ref = get(doc, "spec.scaleTargetRef") or {}
    target = deployments.get(ref.get("name"))
    if ref.get("kind") != "Deployment" or target is None:
        problems.add(where, f"scaleTargetRef {ref} is not a Deployment defined here")
    elif "replicas" in target.get("spec", {}):
        problems.add(where, f"Deployment {ref.get('name')} sets spec.replicas; every apply would undo the autoscaler")
    lo, hi = get(doc, "spec.minReplicas", 1), get(doc, "spec.maxReplicas")
    if hi is None or lo > hi:
        problems.add(where, f"minReplicas {lo} / maxReplicas {hi}")
    known = exported_metrics()
    for m in get(doc, "spec.metrics") or []:
        kind = m.get("type")
        if kind in ("Pods", "External", "Object"):
            name = get(m, f"{kind[0].lower() + kind[1:]}.metric.name")
            if name not in known:
                problems.add(where, f"metric {name} is not exported by the gateway (src/api/gateway_metrics.cpp)")


# --- the gateway's configuration ------------------------------------------------------


def find_gateway(deployments):
    for name, d in deployments.items():
        for c in get(d, "spec.template.spec.containers") or []:
            if (c.get("args") or [None])[0] == "serve":
                return name, d, c
    return None, None, None


def flag(args, *names):
    for i, a in enumerate(args):
        if a in names and i + 1 < len(args):
            return args[i + 1]
    return None


def env_value(objects, env):
    """A stand-in value for one container env entry (Secret/ConfigMap values where known)."""
    if "value" in env:
        return str(env["value"])
    for kind, field in (("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef")):
        ref = get(env, f"valueFrom.{field}")
        if ref:
            doc = objects.get((kind, ref.get("name"))) or {}
            data = dict(doc.get("data") or {})
            data.update(doc.get("stringData") or {})
            return str(data.get(ref.get("key"), "x" * 32))
    return "x" * 32  # fieldRef and the like: any value


def check_gateway_config(objects, deployments, daemonsets, binary, problems):
    cm = objects.get(("ConfigMap", GATEWAY_CONFIG))
    name, deployment, container = find_gateway(deployments)
    if cm is None or deployment is None:
        problems.add("gateway", f"needs ConfigMap {GATEWAY_CONFIG} and a Deployment running `serve`")
        return
    where = f"ConfigMap {GATEWAY_CONFIG}"
    files = {k: v for k, v in (cm.get("data") or {}).items() if k.endswith(".yaml")}
    parsed = {}
    for key, text in files.items():
        try:
            parsed[key] = yaml.safe_load(text)
        except yaml.YAMLError as e:
            problems.add(f"{where}: {key}", f"YAML syntax error: {e}")
    args = container.get("args") or []
    config_path = flag(args, "-c", "--config") or ""
    main_key = os.path.basename(config_path)
    profile = flag(args, "--profile")
    if main_key not in parsed:
        problems.add(f"Deployment {name}", f"--config {config_path}: no such key in {where}")
        return
    stem, ext = os.path.splitext(main_key)
    profile_key = f"{stem}-{profile}{ext}" if profile else None
    if profile_key and profile_key not in parsed:
        problems.add(f"Deployment {name}", f"--profile {profile}: {where} has no {profile_key}")
        profile_key = None
    config = parsed[main_key] or {}
    cluster = (parsed.get(profile_key) or {}) if profile_key else {}

    # The port and the probes agree with server.port and server.context-path.
    port = get(config, "server.port", 8080)
    declared = {p.get("containerPort") for p in container.get("ports") or []}
    if port not in declared:
        problems.add(f"Deployment {name}", f"server.port {port} is not a containerPort ({sorted(declared)})")
    prefix = (get(config, "server.context-path", "") or "").rstrip("/")
    for probe, route in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        path = get(container, f"{probe}.httpGet.path")
        if path != prefix + route:
            problems.add(f"Deployment {name}", f"{probe} path {path}, expected {prefix + route}")

    # The grace period outlasts the drain.
    try:
        drain = parse_duration_ms(get(config, "server.drain-pause", "2s")) + \
            parse_duration_ms(get(config, "server.drain-timeout", "30s"))
    except ValueError as e:
        problems.add(where, f"server.drain-pause/drain-timeout: {e}")
        drain = 0
    grace = get(deployment, "spec.template.spec.terminationGracePeriodSeconds", 30)
    if grace * 1000 <= drain:
        problems.add(f"Deployment {name}", f"terminationGracePeriodSeconds {grace} does not outlast "
                     f"drain-pause + drain-timeout ({drain / 1000:g} s): streams would be killed")

    # Every ${VAR} without a default is set in the container's environment.
    env = {e["name"]: env_value(objects, e) for e in container.get("env") or []}
    for key in [main_key] + ([profile_key] if profile_key else []):
        for var in re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}", files[key]):
            if var not in env:
                problems.add(f"Deployment {name}", f"{key} needs ${{{var}}}, which the container's env does not set")

    # Agents announce nodes under the same etcd endpoints and prefix as the gateways.
    endpoints = get(cluster, "cluster.etcd.endpoints")
    if isinstance(endpoints, list):
        endpoints = ",".join(endpoints)
    for ds_name, ds in daemonsets.items():
        for c in get(ds, "spec.template.spec.containers") or []:
            a = c.get("args") or []
            if not a or a[0] != "agent":
                continue
            aw = f"DaemonSet {ds_name}"
            if not flag(a, "--node-id") or not flag(a, "--backend"):
                problems.add(aw, "the agent needs --node-id and --backend")
            etcd = flag(a, "--etcd")
            if etcd is None:
                if not flag(a, "--scheduler"):
                    problems.add(aw, "the agent needs --scheduler or --etcd")
                continue
            agent_env = {e["name"]: env_value(objects, e) for e in c.get("env") or []}
            etcd = re.sub(r"\$\((\w+)\)", lambda m: agent_env.get(m.group(1), m.group(0)), etcd)
            if etcd != endpoints:
                problems.add(aw, f"--etcd {etcd} differs from cluster.etcd.endpoints {endpoints}")
            agent_prefix = flag(a, "--etcd-prefix") or "/autoglm"
            if agent_prefix != get(cluster, "cluster.etcd.prefix", "/autoglm"):
                problems.add(aw, f"--etcd-prefix {agent_prefix} differs from cluster.etcd.prefix")

    if binary:
        check_with_binary(binary, files, main_key, profile, env, problems)


def run_config_check(binary, config_path, env, extra=()):
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run([binary, "config", "check", "-c", config_path, *extra],
                          env=full_env, capture_output=True, text=True, timeout=60)


def check_with_binary(binary, files, main_key, profile, env, problems):
    with tempfile.TemporaryDirectory(prefix="autoglm-deploy-") as tmp:
        for key, text in files.items():
            with open(os.path.join(tmp, key), "w", encoding="utf-8") as f:
                f.write(text)
        path = os.path.join(tmp, main_key)
        result = run_config_check(binary, path, env)
        if result.returncode != 0:
            problems.add(f"autoglm config check {main_key}", result.stderr.strip().replace(tmp + "/", ""))
        if not profile:
            return
        # A binary from before the clustering release rejects the cluster keys as unknown.
        probe = run_config_check(binary, path, env, ["--set", "cluster.etcd.prefix=/autoglm"])
        if probe.returncode != 0:
            print(f"validate: skipped `config check --profile {profile}`: {binary} predates "
                  "the cluster.etcd keys")
            return
        result = run_config_check(binary, path, env, ["--profile", profile])
        if result.returncode != 0:
            problems.add(f"autoglm config check --profile {profile}", result.stderr.strip().replace(tmp + "/", ""))


def check_kubernetes(kube_dir, binary, problems):
    docs, kustomization = load_manifests(kube_dir, problems)
    check_kustomization(kube_dir, kustomization, problems)
    good = check_basics(docs, problems)
    objects = {(d["kind"], d["metadata"]["name"]): d for _, d in good}
    deployments = {d["metadata"]["name"]: d for _, d in good if d["kind"] == "Deployment"}
    daemonsets = {d["metadata"]["name"]: d for _, d in good if d["kind"] == "DaemonSet"}
    workloads = [(w, d) for w, d in good if d["kind"] in ("Deployment", "DaemonSet")]
    for where, doc in good:
        kind = doc["kind"]
        if kind in ("Deployment", "DaemonSet"):
            check_workload(where, doc, objects, problems)
        elif kind == "Service":
            check_service(where, doc, workloads, problems)
        elif kind == "PodDisruptionBudget":
            check_pdb(where, doc, deployments, problems)
        elif kind == "HorizontalPodAutoscaler":
            check_hpa(where, doc, deployments, problems)
    check_gateway_config(objects, deployments, daemonsets, binary, problems)
    return len(good)


# --- systemd --------------------------------------------------------------------------


def unit_value(text, key):
    values = re.findall(rf"^{key}=(.*)$", text, re.MULTILINE)
    return values[-1].strip() if values else None


def check_systemd(unit_dir, binary, problems):
    units = sorted(n for n in os.listdir(unit_dir) if n.endswith(".service"))
    if not units:
        problems.add(unit_dir, "no units")
        return
    texts = {}
    for name in units:
        with open(os.path.join(unit_dir, name), encoding="utf-8") as f:
            texts[name] = f.read()
        for section in ("[Unit]", "[Service]", "[Install]"):
            if section not in texts[name]:
                problems.add(name, f"no {section} section")
        if not unit_value(texts[name], "ExecStart"):
            problems.add(name, "no ExecStart")

    gateway = texts.get("autoglm-gateway.service")
    if gateway is None:
        problems.add(unit_dir, "no autoglm-gateway.service")
    else:
        with open(os.path.join(ROOT, "config/autoglm.yaml"), encoding="utf-8") as f:
            shipped = yaml.safe_load(f) or {}
        drain = parse_duration_ms(get(shipped, "server.drain-pause", "2s")) + \
            parse_duration_ms(get(shipped, "server.drain-timeout", "30s"))
        stop = unit_value(gateway, "TimeoutStopSec") or "90s"
        try:
            stop_ms = parse_duration_ms(stop)
        except ValueError:
            stop_ms = 0
            problems.add("autoglm-gateway.service", f"TimeoutStopSec {stop}: write it like 45s")
        if stop_ms <= drain:
            problems.add("autoglm-gateway.service", f"TimeoutStopSec {stop} does not outlast the shipped "
                         f"config's drain-pause + drain-timeout ({drain / 1000:g} s)")
        for key in ("ExecReload", "KillSignal"):
            if not unit_value(gateway, key):
                problems.add("autoglm-gateway.service", f"no {key}")

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("validate: skipped `systemd-analyze verify`: systemd-analyze is not installed")
        return
    # Copies with ExecStart pointing at a binary that exists here (verify checks that it
    # is executable) and the template instantiated once.
    with tempfile.TemporaryDirectory(prefix="autoglm-units-") as tmp:
        exe = os.path.abspath(binary) if binary else shutil.which("true")
        paths = []
        for name, text in texts.items():
            instance = name.replace("@.service", "@8001.service")
            path = os.path.join(tmp, instance)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("/usr/bin/autoglm", exe))
            paths.append(path)
        result = subprocess.run([analyze, "verify", *paths], capture_output=True, text=True, timeout=60)
        # Warnings ("Unknown key ..., ignoring") exit 0 but name the file: count them too.
        output = (result.stdout + result.stderr).strip()
        complaints = [l for l in output.splitlines() if tmp in l]
        if result.returncode != 0 or complaints:
            problems.add("systemd-analyze verify", output.replace(tmp + "/", ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", help="the autoglm binary, for `config check` and ExecStart")
    parser.add_argument("--kubernetes", default=os.path.join(ROOT, "deploy/kubernetes"))
    parser.add_argument("--systemd", default=os.path.join(ROOT, "deploy/systemd"))
    args = parser.parse_args()
    if args.binary and not os.access(args.binary, os.X_OK):
        print(f"validate: --binary {args.binary} is not an executable file", file=sys.stderr)
        return 1
    problems = Problems()
    count = check_kubernetes(args.kubernetes, args.binary, problems)
    check_systemd(args.systemd, args.binary, problems)
    if problems.lines:
        for line in problems.lines:
            print(f"validate: {line}", file=sys.stderr)
        print(f"validate: {len(problems.lines)} problem(s)", file=sys.stderr)
        return 1
    print(f"validate: ok ({count} Kubernetes objects, systemd units"
          f"{'' if args.binary else '; no --binary: config check skipped'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
