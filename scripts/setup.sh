#!/usr/bin/env bash
# Installs everything Open-AutoGLM needs to build, test and benchmark on Debian 12.
# Idempotent and quiet: when every package is already there it only checks and exits.
# Packages come from Debian's archive; JavaScript test dependencies from the npm registry.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  g++ cmake ninja-build pkg-config make git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  libsqlite3-dev sqlite3 libpq-dev libssl-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  tzdata curl procps prometheus etcd-server
  nginx haproxy
  clang-14 libclang-rt-14-dev
  python3-yaml
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

# The official OpenAI client, used by one integration test as a client nobody here wrote.
js_dir="$here/tests/integration/openai_client"
if [[ -f "$js_dir/package-lock.json" ]]; then
  stamp="$js_dir/node_modules/.autoglm-lock"
  if ! cmp -s "$js_dir/package-lock.json" "$stamp" 2>/dev/null; then
    echo "setup: installing JavaScript test dependencies (npm ci)"
    (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$js_dir/package-lock.json" "$stamp"
  fi
fi
echo "setup: ok"
