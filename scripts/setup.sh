#!/usr/bin/env bash
# Installs everything Open-AutoGLM needs to build, test and benchmark on Debian 12.
# Idempotent and quiet: when every package is already there it only checks and exits.
# Packages come from Debian's archive; the dashboard's and the JavaScript tests' dependencies
# from the npm registry, as their lockfiles pin them.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  g++ cmake ninja-build pkg-config make git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libsqlite3-dev sqlite3 libpq-dev libssl-dev postgresql libmimalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  tzdata curl procps prometheus etcd-server
  nginx haproxy
  clang-14 libclang-rt-14-dev
  python3-yaml
  chromium
)
# Node.js and npm only when the machine has none (some images ship their own build).
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
  sudo_cmd=()
  [[ "$(id -u)" == 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# `npm ci` in a folder with a package-lock.json, again only when the lockfile changed.
npm_ci_once() {
  local dir="$1" what="$2"
  [[ -f "$dir/package-lock.json" ]] || return 0
  local stamp="$dir/node_modules/.autoglm-lock"
  if ! cmp -s "$dir/package-lock.json" "$stamp" 2>/dev/null; then
    echo "setup: installing $what (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$dir/package-lock.json" "$stamp"
  fi
}
# The dashboard (Vite, uPlot, dagre; Vitest and playwright-core for its tests) needs
# Node.js 20 or newer; without it the gateway is built and runs without the dashboard.
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if ((node_major >= 20)); then
  npm_ci_once "$here/web" "the dashboard's dependencies"
else
  echo "setup: Node.js 20 or newer is needed for the dashboard (found $(node --version 2>/dev/null || echo none)); skipping it"
fi
# The official OpenAI client, used by one integration test as a client nobody here wrote.
npm_ci_once "$here/tests/integration/openai_client" "JavaScript test dependencies"
echo "setup: ok"
