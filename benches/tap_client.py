"""Client side of benches/tap.sh: latencies over one keep-alive connection, streaming rates,
and the server's memory read from /proc. Exits 1 when a target is missed."""

import math
import statistics
import sys
import time

import requests

url, pid, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
session = requests.Session()
missed = []


def rss_mib(field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) // 1024
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def tap(query, fmt="votable", maxrec=None, stream=False):
    params = {"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": query, "RESPONSEFORMAT": fmt}
    if maxrec is not None:
        params["MAXREC"] = str(maxrec)
    answer = session.post(f"{url}/tap/sync", data=params, stream=stream)
    answer.raise_for_status()
    return answer


def centres(n=64):
    golden = 137.50776405003785
    for i in range(n):
        z = 1.0 - 2.0 * (i + 0.5) / n
        yield (i * golden) % 360.0, math.degrees(math.asin(z))


def timed(label, calls, target_ms):
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms over {len(times)} requests")
    if p50 >= target_ms:
        missed.append(f"{label}: p50 {p50:.2f} ms, target {target_ms} ms")


def cone_query(ra, dec):
    return (
        "SELECT source_id, ra, dec, mag_g FROM bench.stars WHERE "
        f"1 = CONTAINS(POINT('ICRS', ra, dec), CIRCLE('ICRS', {ra}, {dec}, 0.5))"
    )


idle = rss_mib("VmRSS")
print(f"server RSS before any query: {idle} MiB")
tap("SELECT TOP 1 source_id FROM bench.stars")  # first contact: file footers, connection
timed(
    "TAP SELECT TOP 1 (per-request overhead)",
    [lambda: tap("SELECT TOP 1 source_id FROM bench.stars").content for _ in range(200)],
    5,
)
cones = [lambda c=c: tap(cone_query(*c)).content for c in centres()]
for c in cones[:8]:
    c()
timed(f"TAP cone r=0.5 deg on {rows} rows", cones, 20)
if session.get(f"{url}/scs/bench.stars", params={"RA": 0, "DEC": 0, "SR": 0.1}).ok:
    scs = [
        lambda c=c: session.get(
            f"{url}/scs/bench.stars", params={"RA": c[0], "DEC": c[1], "SR": 0.5}
        ).content
        for c in centres()
    ]
    timed(f"SCS cone r=0.5 deg on {rows} rows", scs, 10)
else:
    print("no /scs/bench.stars on this server: SCS cone not measured")


def stream(n, fmt):
    start = time.perf_counter()
    size = 0
    answer = tap(f"SELECT TOP {n} source_id, ra, dec, pmra, pmdec, mag_g, parallax FROM bench.stars", fmt, maxrec=n, stream=True)
    for chunk in answer.iter_content(1 << 20):
        size += len(chunk)
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
