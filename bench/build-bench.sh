#!/usr/bin/env bash
# Whole-site build benchmark: generates synthetic sites and times full builds.
#
#   bench/build-bench.sh [PAGES ...]        (default: 1000 10000)
#   bench/build-bench.sh 1000 10000 100000  (100,000 pages only on request)
#   INSTITUTIONS=0 RUNS=1 HUGO=0 bench/build-bench.sh 100000
#
# For each size it reports wall time, CPU time and peak memory of
# `wegwijzer build` (best of RUNS, default 3; 1 from 100,000 pages on), the
# phase timings of one run, the I/O floor (reading every Markdown file and
# writing as many files), and, when `hugo` is installed (Debian package
# `hugo`), Hugo on the same pages in the same run, with the ratio. At the end
# it prints the time per page at each size and its ratio to the smallest
# size: a ratio of at most about 1 means that the build time grows no worse
# than linearly. Output goes to /dev/shm (tmpfs) when it exists, so the file
# system does not dominate; each size's output is removed before the next.
# Institutions: INSTITUTIONS (default 1,000) at every size. Every themed page
# then lists them all (about 125 KB of HTML a page), so 100,000 pages with
# 1,000 institutions write about 10 GB: check `df -h /dev/shm` first.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
institutions=${INSTITUTIONS:-1000}
work=$(mktemp -d); out_base=/dev/shm; [ -d $out_base ] || out_base=$work
trap 'rm -rf "$work" "$out_base"/wegwijzer-bench-*' EXIT
cargo build --release --quiet
bin=$(pwd)/target/release/wegwijzer

runs=3
best() { # best of $runs: prints "wall user+sys maxrss_kb"
  local best=""
  for _ in $(seq "$runs"); do
    local line
    line=$(/usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1)
    read -r w u s m <<<"$line"
    local cpu; cpu=$(echo "$u + $s" | bc)
    if [ -z "$best" ] || (( $(echo "$w < ${best%% *}" | bc) )); then best="$w $cpu $m"; fi
  done
  echo "$best"
}

echo "institutions: $institutions; output: $out_base ($(df -h "$out_base" | awk 'NR==2 {print $4}') free)"
printf '%-8s %-12s %10s %10s %10s\n' pages tool wall_s cpu_s peak_MiB
scaling=()
for n in "${sizes[@]}"; do
  runs=${RUNS:-3}; [ -n "${RUNS:-}" ] || [ "$n" -lt 100000 ] || runs=1
  site=$work/site-$n
  python3 bench/gen-site.py "$site" --pages "$n" --institutions "$institutions" 2>/dev/null
  read -r w c m <<<"$(best "$bin" build --root "$site" --output "$out_base/wegwijzer-bench-$n" --quiet)"
  printf '%-8s %-12s %10s %10s %10d\n' "$n" wegwijzer "$w" "$c" $((m / 1024))
  scaling+=("$n $w $c $m")
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
  if [ "${HUGO:-1}" != 0 ] && command -v hugo >/dev/null; then
    hsite=$work/hugo-$n
    python3 bench/gen-site.py "$hsite" --pages "$n" --flavor hugo 2>/dev/null
    read -r hw hc hm <<<"$(best hugo --quiet -s "$hsite" -d "$out_base/wegwijzer-bench-hugo-$n")"
    printf '%-8s %-12s %10s %10s %10d   (wegwijzer/hugo wall: %s)\n' "$n" hugo "$hw" "$hc" $((hm / 1024)) "$(echo "scale=2; $w / $hw" | bc)"
    rm -rf "$hsite" "$out_base/wegwijzer-bench-hugo-$n"
  fi
  rm -rf "$site" "$out_base/wegwijzer-bench-$n" "$out_base/wegwijzer-bench-floor-$n"
done

# Growth: time per page at each size, against the smallest and the previous size.
echo
printf '%-8s %12s %12s %12s %12s %14s %14s\n' pages wall_ms/page cpu_ms/page "wall ratio" "cpu ratio" "cpu vs prev" peak_KiB/page
read -r n0 w0 c0 _ <<<"${scaling[0]}"
np=$n0 cp=$c0
for row in "${scaling[@]}"; do
  read -r n w c m <<<"$row"
  printf '%-8s %12.3f %12.3f %12.2f %12.2f %14.2f %14.1f\n' "$n" "$(echo "$w * 1000 / $n" | bc -l)" "$(echo "$c * 1000 / $n" | bc -l)" \
    "$(echo "($w / $n) / ($w0 / $n0)" | bc -l)" "$(echo "($c / $n) / ($c0 / $n0)" | bc -l)" \
    "$(echo "($c / $n) / ($cp / $np)" | bc -l)" "$(echo "$m / $n" | bc -l)"
  np=$n cp=$c
done
echo "(ratios are time per page against the smallest size; at most about 1 means the time grows no worse than linearly)"
