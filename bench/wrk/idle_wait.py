#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""How long a kiosk waits for seba-server while other kiosks hold idle keep-alive connections.

Each try: IDLE connections each send GET /healthz (keep-alive) and then sit idle, as kiosks
that synced and went quiet do; then a fresh connection sends one pre-signed POST /v1/events
(from the .probe file bench/wrk_requests.cpp wrote) and is timed from connect to the whole
answer. The same is timed first with no idle connections (the baseline). Used by
bench/wrk_bench.sh. Run: idle_wait.py HOST PORT PROBE_FILE IDLE TRIES [tls]
(tls: over TLS, as kiosks reach seba-front; the certificate is not checked here).
"""
import socket
import ssl
import sys
import time

TLS = None


def connect(host, port):
    sock = socket.create_connection((host, port), timeout=30)
    if TLS is None:
        return sock
    return TLS.wrap_socket(sock, server_hostname=host)


def read_probes(path):
    with open(path, "rb") as f:
        header = f.readline().decode().split()
        assert header[0] == "seba-wrk-requests", path + " is not a wrk_requests file"
        count, size = int(header[1]), int(header[2])
        return [f.read(size) for _ in range(count)]


def answer(sock):
    """Reads one HTTP response; returns its status."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1])


def probe(host, port, request):
    start = time.perf_counter()
    with connect(host, port) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(request)
        status = answer(sock)
    return (time.perf_counter() - start) * 1000, status


def main():
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    idle, tries = int(sys.argv[4]), int(sys.argv[5])
    if len(sys.argv) > 6 and sys.argv[6] == "tls":
        global TLS
        TLS = ssl.create_default_context()
        TLS.check_hostname = False
        TLS.verify_mode = ssl.CERT_NONE
    probes = read_probes(path)
    assert len(probes) >= 2 * tries, "need %d probes, the file has %d" % (2 * tries, len(probes))
    healthz = ("GET /healthz HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host, port)).encode()

    alone = [probe(host, port, probes[i]) for i in range(tries)]
    crowded = []
    for i in range(tries):
        sockets = []
        for _ in range(idle):
            s = connect(host, port)
            s.sendall(healthz)
            sockets.append(s)
        time.sleep(0.3)  # let the server take them all in
        crowded.append(probe(host, port, probes[tries + i]))
        for s in sockets:
            s.close()
        time.sleep(0.5)  # let the server see them go

    def line(name, results):
        times = sorted(ms for ms, _ in results)
        statuses = sorted({status for _, status in results})
        print("seba: %s: %d tries, median %.1f ms, max %.1f ms, statuses %s" % (
            name, len(results), times[len(times) // 2], times[-1],
            " ".join(str(s) for s in statuses)))

    line("fresh signed request, no idle connections", alone)
    line("fresh signed request while %d idle keep-alive connections wait" % idle, crowded)


if __name__ == "__main__":
    main()
