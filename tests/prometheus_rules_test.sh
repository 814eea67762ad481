#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Prometheus rules the seba-server package ships (packaging/prometheus/seba-rules.yml):
#   tests/prometheus_rules_test.sh rules   PROMTOOL SOURCE_DIR
#     promtool checks them, and runs their unit tests (seba-rules.test.yml), where synthetic
#     series make each alert fire, and a near miss not.
#   tests/prometheus_rules_test.sh metrics PROMTOOL SOURCE_DIR SEBA_SERVER
#     a real seba-server is started, answers a few requests, and its /metrics scrape passes
#     `promtool check metrics`; every seba_ metric the rules use is in that scrape, so the
#     rules cannot drift from the code.
set -euo pipefail
mode=${1:?usage: prometheus_rules_test.sh rules|metrics PROMTOOL SOURCE_DIR [SEBA_SERVER]}
promtool=${2:-}
source_dir=$(cd "${3:?source dir}" && pwd)
rules_dir=$source_dir/packaging/prometheus
fail() { echo "prometheus rules test: $*" >&2; exit 1; }
[ -x "$promtool" ] || fail "promtool not found: install Debian's prometheus package (scripts/setup)"

if [ "$mode" = rules ]; then
    "$promtool" check rules "$rules_dir/seba-rules.yml"
    # rule_files in the test file are relative to it.
    (cd "$rules_dir" && "$promtool" test rules seba-rules.test.yml)
    exit 0
fi

[ "$mode" = metrics ] || fail "unknown mode $mode"
server=${4:?seba-server}
tmp=$(mktemp -d)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# The packaged configuration, its state folders moved here, on free ports.
mkdir -p "$tmp/lib" "$tmp/log"
sed -e "s|/var/lib/seba-server|$tmp/lib|; s|/var/log/seba-server|$tmp/log|" \
    -e "s|^port = .*|port = 0|; s|^admin_port = [0-9]*|admin_port = 0|" \
    "$source_dir/packaging/seba-server.toml" >"$tmp/seba-server.toml"
# The log exists before the server starts: the loop below may read it before the child has.
: >"$tmp/server.log"
"$server" --config "$tmp/seba-server.toml" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
port= admin=
for _ in $(seq 100); do
    port=$(sed -n 's|^seba-server listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$tmp/server.log")
    admin=$(sed -n 's|^metrics on http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$tmp/server.log")
    [ -n "$port" ] && [ -n "$admin" ] && break
    sleep 0.1
done
[ -n "$port" ] && [ -n "$admin" ] || { cat "$tmp/server.log"; fail "seba-server did not start"; }

# A few requests of the kinds the rules watch: served, unknown, unsigned (an auth failure);
# then the scrape. Python's standard library only: a minimal machine has no curl.
python3 - "$port" "$admin" "$tmp/scrape.txt" <<'PY' || fail "the server did not answer as expected"
import sys, urllib.error, urllib.request
port, admin, scrape = sys.argv[1], sys.argv[2], sys.argv[3]
def status(path, data=None):
    request = urllib.request.Request("http://127.0.0.1:%s%s" % (port, path), data=data,
                                     headers={"Content-Type": "application/json"} if data else {})
    try:
        return urllib.request.urlopen(request, timeout=5).status
    except urllib.error.HTTPError as e:
        return e.code
for path, data, want in (("/healthz", None, 200), ("/no-such-page", None, 404),
                         ("/v1/events", b'{"events":[]}', 401)):
    got = status(path, data)
    if got != want:
        sys.exit("%s answered %d, not %d" % (path, got, want))
text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % admin, timeout=5).read()
open(scrape, "wb").write(text)
PY

# Prometheus' own linter on the scrape (names, types, help, histogram shape).
"$promtool" check metrics <"$tmp/scrape.txt" || fail "promtool check metrics finds problems"

# Every seba_ metric name in the rules' expressions (not the recorded names, job:seba_...:...)
# is in the scrape, as a sample or declared by its # TYPE line (a counter with no count yet).
python3 - "$rules_dir/seba-rules.yml" "$tmp/scrape.txt" <<'PY'
import re, sys
# The rules' text, comments left out (no YAML library on a minimal machine): every seba_
# name in it not part of a recorded name (job:seba_...:...) is a metric the rules read.
rules = "\n".join(line.split("#", 1)[0] for line in open(sys.argv[1]))
scrape = open(sys.argv[2]).read()
present = set(re.findall(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]', scrape, re.M))
for name, kind in re.findall(r'^# TYPE (\S+) (\S+)', scrape, re.M):
    present.add(name)
    if kind == 'histogram':
        present.update(name + s for s in ('_bucket', '_sum', '_count'))
used = set(re.findall(r'(?<![\w:])(seba_[a-zA-Z0-9_]+)(?![\w:])', rules))
missing = sorted(used - present)
if missing:
    sys.exit('the rules use metrics this seba-server does not expose: ' + ', '.join(missing))
if len(used) < 6:
    sys.exit('found only %d metric names in the rules: %s' % (len(used), sorted(used)))
print('every metric the rules use is exposed:', ', '.join(sorted(used)))
PY
# The requests just made are in it, timed.
grep -q '^seba_request_duration_seconds_count{path="/healthz"} 1$' "$tmp/scrape.txt" ||
    fail "the health check is not in the latency histogram"
grep -q '^seba_auth_failures_total{reason="missing_signature"} 1$' "$tmp/scrape.txt" ||
    fail "the unsigned push is not counted as an auth failure"
echo "the scrape of a real seba-server passes promtool check metrics"
