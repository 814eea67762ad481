#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# seba-server under wrk over loopback, the server a separate process (2 cores shared with wrk):
#  - signed POST /v1/events per second (requests pre-signed by wrk_requests, replayed by
#    bench/wrk/signed.lua), latency percentiles and max, and the non-200 answers;
#  - unsigned GET /healthz in the same run (the baseline);
#  - the worst wait of a fresh kiosk while IDLE others hold idle keep-alive connections.
# With FRONT=1, all of it goes through seba-front (nginx, server/front/) over TLS, as every
# deployment runs it; without, straight to seba-server over plain HTTP.
# Builds nothing: build seba-server and wrk_requests first; needs wrk (apt-get install wrk).
# Run: bench/wrk_bench.sh [BUILD_DIR]   (env: FRONT REQUESTS DEVICES THREADS CONNECTIONS
#      SECONDS_SIGNED IDLE TRIES SERVER_THREADS)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
requests=${REQUESTS:-400000}
devices=${DEVICES:-64}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
seconds=${SECONDS_SIGNED:-10}
idle=${IDLE:-200}
tries=${TRIES:-20}

for tool in "$build/bin/seba-server" "$build/bin/wrk_requests"; do
    [[ -x $tool ]] || { echo "wrk_bench: $tool is missing; build it first" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "wrk_bench: wrk is missing (apt-get install wrk)" >&2; exit 2; }

work=$(mktemp -d /tmp/seba-wrk.XXXXXX)
server_pid=
front_pid=
cleanup() {
    for pid in $front_pid $server_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
admin_port=$(free_port)
url=http://127.0.0.1:$port
{
    echo "[server]"
    echo "listen = \"127.0.0.1\""
    echo "port = $port"
    echo "admin_port = $admin_port"
    echo "database = \"seba-server.db\""
    echo "log_dir = \"logs\""
    if [[ -n ${SERVER_THREADS:-} ]]; then echo "threads = $SERVER_THREADS"; fi
} >"$work/seba-server.toml"
server="$build/bin/seba-server --config $work/seba-server.toml"

$server admin create-centre bench "Bench centre" >/dev/null
$server serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
done

if [[ ${FRONT:-0} == 1 ]]; then
    front_port=$(free_port)
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
        -subj /CN=localhost -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
    user=""
    [[ $(id -u) == 0 ]] && user="user root root;"
    sed -e "s|@FRONT_LISTEN@|127.0.0.1:$front_port|; s|@BACKEND@|127.0.0.1:$port|" \
        -e "s|@CERT@|$work/server.crt|; s|@KEY@|$work/server.key|; s|@STATE_DIR@|$work|g" \
        -e "s|@USER@|$user|" "$here/../server/front/seba-front.conf.in" >"$work/front.conf"
    /usr/sbin/nginx -e stderr -c "$work/front.conf" -g "daemon off;" 2>"$work/front.log" &
    front_pid=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$front_port") 2>/dev/null; then break; fi
        sleep 0.1
    done
    url=https://127.0.0.1:$front_port
    echo "== through seba-front (nginx, TLS) at $url"
fi

for _ in $(seq "$devices"); do $server admin enroll-code bench --valid-hours 1; done >"$work/codes"
"$build/bin/wrk_requests" --url "http://127.0.0.1:$port" --centre bench --requests "$requests" \
    --probes $((2 * tries)) --out "$work/requests" <"$work/codes"

echo "== signed POST /v1/events: wrk -t$threads -c$connections -d${seconds}s, $devices devices"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$here/wrk/signed.lua" "$url" \
    "$work/requests" "$threads" | tee "$work/signed.txt"
echo "== GET /healthz (baseline): wrk -t$threads -c$connections -d5s"
wrk -t"$threads" -c"$connections" -d5s --latency "$url/healthz" | tee "$work/healthz.txt"
echo "== a fresh kiosk while $idle others hold idle keep-alive connections, $tries tries"
target_port=${url##*:}
python3 "$here/wrk/idle_wait.py" 127.0.0.1 "$target_port" "$work/requests.probe" "$idle" "$tries" \
    "$([[ $url == https* ]] && echo tls)" | tee "$work/idle.txt"

accepted=$(python3 -c "import urllib.request; print(next((l.split()[-1] for l in urllib.request.urlopen('http://127.0.0.1:$admin_port/metrics').read().decode().splitlines() if l.startswith('seba_events_total{outcome=\"accepted\"}')), 0))")
signed=$(awk '/^seba: requests/ {printf "%s", $7}' "$work/signed.txt")
health=$(awk '/^Requests\/sec:/ {printf "%.0f/s", $2}' "$work/healthz.txt")
echo "== summary"
echo "signed POST /v1/events  $signed ($(awk '/^seba: non-200/ {print $3}' "$work/signed.txt") non-200; $accepted events stored)"
echo "GET /healthz            $health"
awk -v s="${signed%/s}" -v h="${health%/s}" 'BEGIN { if (h > 0) printf "ratio                   %.2fx the baseline\n", s / h }'
grep '^seba: latency' "$work/signed.txt" | sed 's/^seba: /signed /'
grep '^seba: fresh' "$work/idle.txt" | sed 's/^seba: //'
