#!/usr/bin/env python3
"""Save-to-served latency and memory of `wegwijzer serve` (run by serve-bench.sh).

    bench/serve-bench.py BINARY SITE --edits 20 [--kind body|updated|title]

Starts `BINARY serve --port 0 --root SITE`, then edits one page at a time:
it writes the page (through a temp file and a rename, as editors do) and
polls the page's URL until the new text is served. The latency is from just
before the write to the first response with the new text. Kinds: `body`
changes only the text, `updated` also the `updated:` date, `title` the
title and the date. After each edit it checks that the section listing
(title edits), the sitemap (date edits) and the search index (the shard
that must hold the new word) are up to date, times when the search shard
is served, and samples the server's resident memory. Prints one JSON line
with the figures.
"""
import argparse
import bisect
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time


def letters(n):
    """A number as letters a-z."""
    out = ""
    while True:
        out = chr(ord("a") + n % 26) + out
        n //= 26
        if n == 0:
            return out


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Client:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.conn = None

    def get(self, path):
        for _ in range(3):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, OSError):
                self.conn = None
        raise RuntimeError(f"GET {path} failed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("site")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--kind", choices=["body", "updated", "title"], default="body")
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()

    proc = subprocess.Popen(
        [a.binary, "serve", "--port", "0", "--root", a.site],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        start = time.perf_counter()
        first_build = None
        url = None
        for line in proc.stdout:
            if line.startswith("Built "):
                first_build = line.strip()
            m = re.search(r"http://([^/\s]+)/", line)
            if m:
                url = m.group(1)
                break
        if url is None:
            sys.exit("serve printed no URL: " + proc.stderr.read())
        # Keep reading what serve prints, or it blocks on a full pipe.
        log = {"stdout": [], "stderr": []}
        for name in log:
            stream = getattr(proc, name)
            threading.Thread(target=lambda s=stream, n=name: [log[n].append(l) for l in s], daemon=True).start()
        startup = time.perf_counter() - start
        host, port = url.rsplit(":", 1)
        c = Client(host, int(port))

        pages = sorted(
            os.path.join(dp, f)
            for dp, _, fs in os.walk(os.path.join(a.site, "content"))
            for f in fs
            if f.endswith(".md") and not f.startswith("_")
        )
        rss = [rss_kib(proc.pid)]
        latencies = []
        search_ms = []
        stale = []
        for i in range(a.edits):
            path = pages[(i * 7919) % len(pages)]
            rel = os.path.relpath(path, os.path.join(a.site, "content"))
            page_url = "/" + rel[:-3] + "/"
            section_url = "/" + rel.split("/")[0] + "/"
            with open(path, encoding="utf-8") as f:
                text = f.read()
            # Letters only, so the search index keeps it as one word.
            marker = "zqbewerking" + letters(i) + "x" + letters(os.getpid())
            if a.kind == "title":
                new = re.sub(r"^title: .*$", f"title: Titel {marker}", text, count=1, flags=re.M)
            else:
                new = text.rstrip("\n") + f"\n\nExtra zin met {marker}.\n"
            if a.kind != "body":
                new = re.sub(r"^updated: .*$", f"updated: 2026-11-{1 + i % 28:02d}", new, count=1, flags=re.M)
            tmp = path + ".tmp"
            t0 = time.perf_counter()
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(new)
            os.replace(tmp, path)
            needle = marker.encode()
            while True:
                status, body = c.get(page_url)
                if status == 200 and needle in body:
                    break
                if time.perf_counter() - t0 > a.timeout:
                    sys.exit(f"edit {i}: {page_url} not updated after {a.timeout} s")
                time.sleep(0.001)
            latencies.append((time.perf_counter() - t0) * 1000)
            # Everything else of the same build is there too.
            ok = True
            if a.kind == "title":
                ok &= needle in c.get(section_url)[1]
            if a.kind != "body":
                lastmod = f"{page_url}</loc>\n    <lastmod>2026-11-{1 + i % 28:02d}</lastmod>"
                ok &= lastmod.encode() in c.get("/sitemap.xml")[1]
            # The shard whose word range holds the marker must have it.
            meta = json.loads(c.get("/search/meta.json")[1])
            shard = bisect.bisect_right(meta["s"], marker)
            ok &= needle in c.get(f"/search/s/{shard}.json")[1]
            search_ms.append((time.perf_counter() - t0) * 1000)
            if not ok:
                stale.append(i)
            if i % max(1, a.edits // 20) == 0 or i == a.edits - 1:
                rss.append(rss_kib(proc.pid))
        lat = sorted(latencies)
        out = {
            "site": a.site,
            "first_build": first_build,
            "startup_s": round(startup, 2),
            "edits": a.edits,
            "kind": a.kind,
            "median_ms": round(statistics.median(lat), 1),
            "p90_ms": round(lat[int(0.9 * (len(lat) - 1))], 1),
            "min_ms": round(lat[0], 1),
            "max_ms": round(lat[-1], 1),
            "search_served_median_ms": round(statistics.median(search_ms), 1),
            "stale_after_serve": stale,
            "rss_kib_first": rss[0],
            "rss_kib_after_edits": rss[1:],
            "rss_kib_max": max(rss),
            "rebuilds": sum(" rebuilt in " in l for l in log["stdout"]),
            "page_renders": sum(" re-rendered " in l for l in log["stdout"]),
            "failed_builds": sum("error: the build failed" in l for l in log["stderr"]),
        }
        print(json.dumps(out))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    main()
