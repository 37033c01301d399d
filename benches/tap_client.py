"""Client side of benches/tap.sh: latencies over one keep-alive connection, streaming rates,
and the server's memory read from /proc. Exits 1 when a target is missed.

The client is the standard library's http.client: `requests` spends about 1.5 ms of its own
on every call (measured here on /health), which would hide the server's figures. The
/health latency is printed first as the floor of any request on this machine."""

import http.client
import math
import statistics
import sys
import time
import urllib.parse

url, pid, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
address = urllib.parse.urlsplit(url)
connection = http.client.HTTPConnection(address.hostname, address.port)
missed = []


def request(method, path, params, sink=None):
    """The response body (or its size, when `sink` reads it), over the kept-alive connection."""
    body = urllib.parse.urlencode(params)
    if method == "GET":
        connection.request("GET", f"{path}?{body}")
    else:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", path, body, headers)
    answer = connection.getresponse()
    if answer.status != 200:
        raise RuntimeError(f"{path}: HTTP {answer.status}: {answer.read()[:500]!r}")
    return sink(answer) if sink else answer.read()


def rss_mib(field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) // 1024
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def tap(query, fmt="votable", maxrec=None, sink=None):
    params = {"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": query, "RESPONSEFORMAT": fmt}
    if maxrec is not None:
        params["MAXREC"] = str(maxrec)
    return request("POST", "/tap/sync", params, sink)


def centres(n=64):
    golden = 137.50776405003785
    for i in range(n):
        z = 1.0 - 2.0 * (i + 0.5) / n
        yield (i * golden) % 360.0, math.degrees(math.asin(z))


def timed(label, calls, target_ms=None):
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms over {len(times)} requests")
    if target_ms is not None and p50 >= target_ms:
        missed.append(f"{label}: p50 {p50:.2f} ms, target {target_ms} ms")


def cone_query(ra, dec):
    return (
        "SELECT source_id, ra, dec, mag_g FROM bench.stars WHERE "
        f"1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {ra}, {dec}, 0.5))"
    )


idle = rss_mib("VmRSS")
print(f"server RSS before any query: {idle} MiB")
timed("baseline: GET /health", [lambda: request("GET", "/health", {}) for _ in range(200)])
tap("SELECT TOP 1 source_id FROM bench.stars")  # first contact: file footers, connection
timed(
    "TAP SELECT TOP 1 (per-request overhead)",
    [lambda: tap("SELECT TOP 1 source_id FROM bench.stars") for _ in range(200)],
    5,
)
cones = [lambda c=c: tap(cone_query(*c)) for c in centres()]
for c in cones[:8]:
    c()
timed(f"TAP cone r=0.5 deg on {rows} rows", cones, 20)
scs = [
    lambda c=c: request("GET", "/scs/bench.stars", {"RA": c[0], "DEC": c[1], "SR": 0.5})
    for c in centres()
]
for c in scs[:8]:
    c()
timed(f"SCS cone r=0.5 deg on {rows} rows", scs, 10)


def count_bytes(answer):
    size = 0
    while chunk := answer.read(1 << 20):
        size += len(chunk)
    return size


def stream(n, fmt):
    start = time.perf_counter()
    query = f"SELECT TOP {n} source_id, ra, dec, pmra, pmdec, mag_g, parallax FROM bench.stars"
    size = tap(query, fmt, maxrec=n, sink=count_bytes)
    seconds = time.perf_counter() - start
    return seconds, size


peaks = {}
for n in (1_000_000, min(10_000_000, rows)):
    for fmt, label in (("votable/b2", "BINARY2"), ("csv", "CSV")):
        seconds, size = stream(n, fmt)
        print(
            f"{n} rows as {label}: {size / 2**20:.0f} MiB in {seconds:.2f} s = "
            f"{n / seconds:,.0f} rows/s"
        )
    peaks[n] = rss_mib("VmHWM")
    print(f"server peak RSS after the {n}-row results: {peaks[n]} MiB")
small, large = peaks[1_000_000], peaks[min(10_000_000, rows)]
if large - idle > 2 * max(small - idle, 64):
    missed.append(f"memory grows with the result: {small} MiB after 1M rows, {large} MiB after 10M")

for miss in missed:
    print("MISS:", miss)
sys.exit(1 if missed else 0)
