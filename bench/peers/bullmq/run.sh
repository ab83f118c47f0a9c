#!/usr/bin/env bash
# The peer ./inloop bench compares Inloop with: Redis (persistence off, its own port and temp dir), the
# HTTP + Socket.IO server and one BullMQ worker process, until Ctrl-C. Installs what is missing first.
# PEER_PORT (3100), PEER_REDIS_PORT (6390) and PEER_CONCURRENCY (32) change the defaults.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export PEER_PORT="${PEER_PORT:-3100}"
export PEER_REDIS_PORT="${PEER_REDIS_PORT:-6390}"

if ! command -v redis-server >/dev/null; then
	echo "peer: installing Debian's redis-server" >&2
	sudo_if_needed=()
	[[ "$(id -u)" -eq 0 ]] || sudo_if_needed=(sudo)
	"${sudo_if_needed[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq redis-server >/dev/null
fi
if [[ ! -f "${here}/node_modules/.package-lock.json" || "${here}/package-lock.json" -nt "${here}/node_modules/.package-lock.json" ]]; then
	echo "peer: npm ci" >&2
	npm ci --prefix "${here}" --no-audit --no-fund >&2
fi

data="$(mktemp -d /tmp/inloop-peer-redis.XXXXXX)"
pids=()
stop() {
	trap - INT TERM EXIT
	if [[ ${#pids[@]} -gt 0 ]]; then
		kill "${pids[@]}" 2>/dev/null || true
		wait "${pids[@]}" 2>/dev/null || true
	fi
	rm -rf "${data}"
	echo "peer stopped"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

redis-server --bind 127.0.0.1 --port "${PEER_REDIS_PORT}" --dir "${data}" --save '' --appendonly no \
	--daemonize no --loglevel warning --logfile "${data}/redis.log" &
pids+=($!)
until [[ "$(redis-cli -p "${PEER_REDIS_PORT}" ping 2>/dev/null)" == PONG ]]; do
	kill -0 "${pids[0]}" 2>/dev/null || { echo "peer: redis-server exited; see ${data}/redis.log" >&2; exit 1; }
	sleep 0.1
done

node "${here}/worker.js" &
pids+=($!)
node "${here}/server.js" &
pids+=($!)
until curl -sf "http://127.0.0.1:${PEER_PORT}/health" >/dev/null; do
	for pid in "${pids[@]}"; do
		kill -0 "${pid}" 2>/dev/null || { echo "peer: a process exited during start-up" >&2; exit 1; }
	done
	sleep 0.1
done
echo "BullMQ peer is ready: http://localhost:${PEER_PORT}, Socket.IO ws://localhost:${PEER_PORT}/socket.io/, Redis localhost:${PEER_REDIS_PORT}"
echo "Press Ctrl-C to stop."
# Until Ctrl-C, or until one of them exits (then the others are stopped too).
wait -n "${pids[@]}"
echo "peer: a process exited; stopping the others" >&2
