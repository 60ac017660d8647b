#!/usr/bin/env bash
# Whole-site build benchmark: generates synthetic sites and times full builds.
#
#   bench/build-bench.sh [PAGES ...]        (default: 1000 10000)
#
# For each size it reports wall time, CPU time and peak memory of
# `wegwijzer build` (best of 3), the phase timings of one run, the I/O floor
# (reading every Markdown file and writing as many files), and, when `hugo`
# is installed (Debian package `hugo`), Hugo on the same pages in the same
# run, with the ratio. Output goes to /dev/shm (tmpfs) when it exists, so the
# file system does not dominate. Institutions: 1,000 at every size.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
work=$(mktemp -d); out_base=/dev/shm; [ -d $out_base ] || out_base=$work
trap 'rm -rf "$work" "$out_base"/wegwijzer-bench-*' EXIT
cargo build --release --quiet
bin=$(pwd)/target/release/wegwijzer

best() { # best of 3: prints "wall user+sys maxrss_kb"
  local best=""
  for _ in 1 2 3; do
    local line
    line=$(/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1)
    read -r w u s m <<<"$line"
    local cpu; cpu=$(echo "$u + $s" | bc)
    if [ -z "$best" ] || (( $(echo "$w < ${best%% *}" | bc) )); then best="$w $cpu $m"; fi
  done
  echo "$best"
}

printf '%-8s %-12s %10s %10s %10s\n' pages tool wall_s cpu_s peak_MiB
for n in "${sizes[@]}"; do
  site=$work/site-$n
  python3 bench/gen-site.py "$site" --pages "$n" --institutions 1000 2>/dev/null
  read -r w c m <<<"$(best "$bin" build --root "$site" --output "$out_base/wegwijzer-bench-$n" --quiet)"
  printf '%-8s %-12s %10s %10s %10d\n' "$n" wegwijzer "$w" "$c" $((m / 1024))
  WEGWIJZER_TIMINGS=1 "$bin" build --root "$site" --output "$out_base/wegwijzer-bench-$n" --quiet 2>&1 | sed 's/^/         /'
  python3 - "$site/content" "$out_base/wegwijzer-bench-floor-$n" <<'PY'
import os, sys, time
src, dst = sys.argv[1], sys.argv[2]
t = time.perf_counter(); data = []
for d, _, fs in os.walk(src):
    for f in fs:
        if f.endswith(".md"):
            with open(os.path.join(d, f), "rb") as h: data.append(h.read())
for i, b in enumerate(data):
    p = os.path.join(dst, str(i // 1000), str(i))
    os.makedirs(p, exist_ok=True)
    with open(os.path.join(p, "index.html"), "wb") as h: h.write(b)
print(f"         I/O floor: read {len(data)} files and wrote as many in {time.perf_counter() - t:.2f} s")
PY
  if command -v hugo >/dev/null; then
    hsite=$work/hugo-$n
    python3 bench/gen-site.py "$hsite" --pages "$n" --flavor hugo 2>/dev/null
    read -r hw hc hm <<<"$(best hugo --quiet -s "$hsite" -d "$out_base/wegwijzer-bench-hugo-$n")"
    printf '%-8s %-12s %10s %10s %10d   (wegwijzer/hugo wall: %s)\n' "$n" hugo "$hw" "$hc" $((hm / 1024)) "$(echo "scale=2; $w / $hw" | bc)"
  fi
done
