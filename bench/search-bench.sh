#!/usr/bin/env bash
# Search benchmark at 1,000 and 10,000 pages, side by side with Pagefind.
#
#   bench/search-bench.sh               # both sizes
#   PAGES=2000 bench/search-bench.sh    # other sizes, comma-separated
#   PAGEFIND=0 bench/search-bench.sh    # without Pagefind
#   SYNTHETIC=0 bench/search-bench.sh   # without part 1
#
# 1. The index alone, built from synthetic page texts with a long-tail
#    vocabulary (tests/search_bench.rs): build time, index size, and what a
#    first query downloads with the real client in Node (gzip -6).
# 2. The same pages for both tools: bench/gen-site.py writes a site, and
#    `wegwijzer build` builds it (HTML and our index). Pagefind (npm
#    `pagefind`, installed into bench/node_modules from bench/package-lock.json
#    when the package registry can be reached) indexes that built HTML: the
#    content of <main> without the school list and the related pages, which is
#    what our index holds. Reported for both: index build wall time, CPU time
#    and peak memory (ours: the search phase of the build, from
#    bench/phase-cpu.py, and the whole build; Pagefind: GNU time), index size
#    and file count, and what headless Chromium downloads for a first query
#    with each tool's own client (bench/first-query-browser.mjs), with ratios.
#    Builds are best of 3 by wall time. Output goes to /dev/shm when it exists.
# Needs cargo, python3, node and /usr/bin/time; Chromium for the browser part.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="${SEARCH_BENCH_OUT:-$PWD/target/search-bench}"
pages="${PAGES:-1000,10000}"
mkdir -p "$out"

if [ "${SYNTHETIC:-1}" != 0 ]; then
  echo "== 1. index of synthetic page texts ($pages)"
  cargo test --release --quiet --test search_bench --no-run
  timer=()
  if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f 'peak memory: %M KiB'); fi
  SEARCH_BENCH_PAGES="$pages" SEARCH_BENCH_OUT="$out" "${timer[@]}" \
    cargo test --release --quiet --test search_bench -- --ignored --nocapture 2>&1 \
    | grep -oE '\{"pages".*\}|peak memory.*' | tee "$out/builds.txt"
  for n in ${pages//,/ }; do
    dir="$out/$n/search"
    echo "== $n pages: total index size"
    du -sb "$dir" | awk '{printf "%.1f MB in ", $1/1e6}'
    find "$dir" -type f | wc -l | awk '{print $1 " files"}'
    echo "== $n pages: first query (search.js + meta + shards + 10 result fragments, gzip -6)"
    node bench/search-first-query.mjs "$dir" 10 \
      | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);for(const q of r.queries)console.log(`${q.query.padEnd(42)} ${String(q.files).padStart(3)} files ${(q.gzip_bytes/1024).toFixed(1).padStart(6)} KB gz  (meta ${(q.index_gzip.meta/1024).toFixed(1)}, shards ${(q.index_gzip.shards/1024).toFixed(1)}, pages ${(q.index_gzip.pages/1024).toFixed(1)} KB; ${q.results} results; ${q.search_ms_warm} ms warm)`)})'
  done
fi

echo
echo "== 2. the same pages for wegwijzer and Pagefind ($pages)"
cargo build --release --quiet
bin=$root/target/release/wegwijzer
shm=/dev/shm; [ -d $shm ] || shm=$out
work=$(mktemp -d "$shm/wegwijzer-search-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

pf=""
if [ "${PAGEFIND:-1}" != 0 ]; then
  find_pf() { find bench/node_modules/@pagefind -path '*/bin/pagefind*' -type f -perm -u+x 2>/dev/null | sort | head -1; }
  pf=$(find_pf)
  if [ -z "$pf" ]; then
    (cd bench && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>&1 || true
    pf=$(find_pf)
  fi
  if [ -n "$pf" ]; then
    pf=$root/$pf
    echo "Pagefind: $("$pf" --version)"
  else
    echo "Pagefind is not installable here: only wegwijzer is measured."
  fi
fi

# Size on disk, file count, and bytes as served: text gzip -6, files that
# are gzip already (Pagefind's index, fragments, wasm) as they are.
sizes() {
  python3 - "$1" <<'PY'
import gzip, os, sys
raw = served = n = 0
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        b = open(os.path.join(d, f), "rb").read()
        n += 1; raw += len(b)
        served += len(b) if b[:2] == b"\x1f\x8b" else len(gzip.compress(b, 6, mtime=0))
print(raw, n, served)
PY
}

summary=()
for n in ${pages//,/ }; do
  site=$work/site-$n site_out=$work/out-$n
  python3 bench/gen-site.py "$site" --pages "$n" --institutions 0 2>/dev/null
  best=""
  for _ in 1 2 3; do
    rm -rf "$site_out"
    line=$(python3 bench/phase-cpu.py "$bin" build --root "$site" --output "$site_out" --quiet)
    wall=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["wall_s"])' "$line")
    if [ -z "$best" ] || (( $(echo "$wall < $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["wall_s"])' "$best")" | bc) )); then best=$line; fi
  done
  read -r ow oc op bw bc_ bp html <<<"$(python3 - "$best" "$site_out" <<'PY'
import json, os, sys
r = json.loads(sys.argv[1])
s = next(p for p in r["phases"] if p["phase"] == "search")
before = r["phases"][r["phases"].index(s) - 1]
html = sum(1 for d, _, fs in os.walk(sys.argv[2]) for f in fs if f.endswith(".html"))
# Search phase: wall, CPU, and how far the peak rose above the memory in use before it.
print(f'{s["wall_ms"]/1000:.2f} {s["cpu_s"]:.2f} {max(0, s["peak_mb"] - before["rss_mb"])} {r["wall_s"]} {r["cpu_s"]} {r["peak_mb"]} {html}')
PY
)"
  read -r oraw ofiles oserved <<<"$(sizes "$site_out/search")"
  echo
  echo "== $n pages ($html HTML files)"
  printf '%-34s %8s %8s %10s %10s %7s %10s\n' tool wall_s cpu_s peak_MiB index_MB files served_MB
  printf '%-34s %8s %8s %10s\n' "wegwijzer build (HTML + index)" "$bw" "$bc_" "$bp"
  printf '%-34s %8s %8s %10s %10.1f %7s %10.1f\n' "wegwijzer search phase" "$ow" "$oc" "+$op" "$(echo "$oraw/1000000" | bc -l)" "$ofiles" "$(echo "$oserved/1000000" | bc -l)"
  if [ -n "$pf" ]; then
    pbest=""
    for _ in 1 2 3; do
      rm -rf "$site_out/pagefind"
      line=$(/usr/bin/time -f "%e %U %S %M" "$pf" --site "$site_out" --root-selector main \
        --exclude-selectors section.school --exclude-selectors section.related --quiet 2>&1 >/dev/null | tail -1)
      read -r w u s m <<<"$line"
      if [ -z "$pbest" ] || (( $(echo "$w < ${pbest%% *}" | bc) )); then pbest="$w $(echo "$u + $s" | bc) $((m / 1024))"; fi
    done
    read -r pw pc pm <<<"$pbest"
    read -r praw pfiles pserved <<<"$(sizes "$site_out/pagefind")"
    printf '%-34s %8s %8s %10s %10.1f %7s %10.1f\n' "Pagefind indexer" "$pw" "$pc" "$pm" "$(echo "$praw/1000000" | bc -l)" "$pfiles" "$(echo "$pserved/1000000" | bc -l)"
    printf '%-34s %8.2f %8.2f %10.2f %10.2f %7.2f %10.2f\n' "ratio: search phase / Pagefind" \
      "$(echo "$ow/$pw" | bc -l)" "$(echo "$oc/$pc" | bc -l)" "$(echo "$op/$pm" | bc -l)" \
      "$(echo "$oraw/$praw" | bc -l)" "$(echo "$ofiles/$pfiles" | bc -l)" "$(echo "$oserved/$pserved" | bc -l)"
    printf '%-34s %8.2f %8.2f %10.2f\n' "ratio: whole build / Pagefind" \
      "$(echo "$bw/$pw" | bc -l)" "$(echo "$bc_/$pc" | bc -l)" "$(echo "$bp/$pm" | bc -l)"
  fi
  echo "-- first query in headless Chromium (bytes as transferred, top 10 results' data loaded)"
  if [ -x /usr/bin/chromium ]; then
    [ -d bench/node_modules/playwright-core ] || [ -d tests/browser/node_modules/playwright-core ] \
      || (cd bench && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>&1 || true
    node bench/first-query-browser.mjs "$site_out" --json "$out/first-query-$n.json" \
      | tee "$out/first-query-$n.txt"
    summary+=("$n: $(tail -1 "$out/first-query-$n.txt")")
  else
    echo "(no /usr/bin/chromium: skipped)"
  fi
done
echo
printf '%s\n' "${summary[@]}"
