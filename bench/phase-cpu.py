#!/usr/bin/env python3
"""Runs `wegwijzer build` with WEGWIJZER_TIMINGS=1 and adds CPU time and
memory to each phase it reports, so one phase (the search index) can be
compared with a tool that does only that.

    bench/phase-cpu.py target/release/wegwijzer build --root SITE --output OUT --quiet

At each "timing:" line on stderr (printed right after a phase ends, when its
threads have joined) it reads the process's user + system CPU time and its
peak resident memory so far from /proc. At the end it prints one JSON object:
wall, CPU and peak memory of the whole run (from wait4, as GNU time reports
them) and per phase: wall ms, CPU seconds, resident MB at its end, peak MB so
far, and MB the peak grew in that phase.
"""
import json
import os
import re
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_and_peak(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    cpu = (int(rest[11]) + int(rest[12])) / TICK
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) // 1024
    return cpu, peak


def main():
    env = dict(os.environ, WEGWIJZER_TIMINGS="1")
    start = time.perf_counter()
    p = subprocess.Popen(sys.argv[1:], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    phases, last_cpu, last_peak = [], 0.0, 0
    for line in p.stderr:
        m = re.match(r"timing: (\S+)\s+([\d.]+) ms\s+rss (\d+) MB", line)
        if not m:
            sys.stderr.write(line)
            continue
        try:
            cpu, peak = cpu_and_peak(p.pid)
        except OSError:
            cpu, peak = last_cpu, last_peak
        phases.append({"phase": m[1], "wall_ms": float(m[2]), "cpu_s": round(cpu - last_cpu, 2),
                       "rss_mb": int(m[3]), "peak_mb": peak, "peak_growth_mb": max(0, peak - last_peak)})
        last_cpu, last_peak = cpu, peak
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    out = {"exit": os.waitstatus_to_exitcode(status), "wall_s": round(wall, 2),
           "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "peak_mb": usage.ru_maxrss // 1024, "phases": phases}
    print(json.dumps(out))
    sys.exit(out["exit"])


if __name__ == "__main__":
    main()
