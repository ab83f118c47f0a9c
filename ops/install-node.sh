#!/usr/bin/env bash
# Installs Node 20 (clients/js needs node >= 20) on Debian, where apt only has Node 18.
# nodejs.org may be unreachable, so the Node binary comes from the npm registry package
# node-linux-<arch> (fetched with `npm pack`, using Debian's npm if no npm is there yet) and
# npm itself from the registry package npm. Both go to /usr/local/lib/inloop-node-<version>,
# linked from /usr/local/bin/{node,npm,npx}. A no-op where node >= 20 is already on PATH.
# Run as root:  sudo bash ops/install-node.sh
# Env: INLOOP_NODE_VERSION (default 20.20.2), INLOOP_NPM_VERSION (default 10.8.2).
set -euo pipefail

NODE_VERSION="${INLOOP_NODE_VERSION:-20.20.2}"
NPM_VERSION="${INLOOP_NPM_VERSION:-10.8.2}"
MIN_MAJOR=20
PREFIX="/usr/local/lib/inloop-node-${NODE_VERSION}"
BIN_DIR=/usr/local/bin

node_major() { # major version of the node given as $1, or nothing
  "$1" --version 2>/dev/null | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p'
}

if command -v node >/dev/null 2>&1; then
  major="$(node_major node)"
  if [ -n "$major" ] && [ "$major" -ge "$MIN_MAJOR" ]; then
    echo "node $(node --version) at $(command -v node) is >= ${MIN_MAJOR}: nothing to do."
    exit 0
  fi
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-node.sh: installing Node needs root (try: sudo bash $0)" >&2
  exit 1
fi

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "install-node.sh: no node-linux package for architecture $(uname -m)" >&2; exit 1 ;;
esac

if [ ! -x "${PREFIX}/bin/node" ] || [ "$("${PREFIX}/bin/node" --version 2>/dev/null)" != "v${NODE_VERSION}" ] \
   || [ ! -f "${PREFIX}/lib/node_modules/npm/bin/npm-cli.js" ]; then
  # Any npm will do to fetch the tarballs; Debian's runs on its own Node 18.
  if ! command -v npm >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
  fi

  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "Fetching node-linux-${arch}@${NODE_VERSION} and npm@${NPM_VERSION} from the npm registry..."
  (cd "$tmp" && npm pack --silent --loglevel=error "node-linux-${arch}@${NODE_VERSION}" "npm@${NPM_VERSION}" >/dev/null)

  stage="${tmp}/stage"
  mkdir -p "${stage}/lib/node_modules/npm"
  tar -xzf "${tmp}/node-linux-${arch}-${NODE_VERSION}.tgz" -C "$stage" --strip-components=1 --no-same-owner
  tar -xzf "${tmp}/npm-${NPM_VERSION}.tgz" -C "${stage}/lib/node_modules/npm" --strip-components=1 --no-same-owner
  # The same layout as Node's own release tarballs.
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "${stage}/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "${stage}/bin/npx"
  # Behave like Debian's npm: read /etc/npmrc, install globals under /usr/local, and trust the
  # system's CA bundle (upstream Node trusts only its built-in roots, not locally added CAs).
  {
    echo "globalconfig=/etc/npmrc"
    echo "prefix=/usr/local"
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then echo "cafile=/etc/ssl/certs/ca-certificates.crt"; fi
  } > "${stage}/lib/node_modules/npm/npmrc"
  "${stage}/bin/node" --version >/dev/null # fails here, before anything is replaced, if the binary can't run

  rm -rf "$PREFIX"
  mkdir -p "$(dirname "$PREFIX")"
  mv "$stage" "$PREFIX"
fi

mkdir -p "$BIN_DIR"
for tool in node npm npx; do
  ln -sfn "${PREFIX}/bin/${tool}" "${BIN_DIR}/${tool}"
done
hash -r

# Debian's /usr/bin/npm and npx (if installed) start with `#!/usr/bin/env node`; /usr/local/bin
# comes before /usr/bin on Debian's default PATH, so node, npm and npx all resolve to Node 20.
major="$(node_major node || true)"
if [ -z "$major" ] || [ "$major" -lt "$MIN_MAJOR" ]; then
  echo "install-node.sh: installed ${BIN_DIR}/node, but \`node\` on PATH is $(command -v node || echo missing);" \
       "put ${BIN_DIR} before /usr/bin in PATH" >&2
  exit 1
fi
echo "node $(node --version) ($(command -v node) -> ${PREFIX}/bin/node)"
echo "npm $(npm --version) ($(command -v npm))"
