#!/usr/bin/env bash
# Search benchmark: index build time, total index size and the bytes a first
# query downloads, at 1,000 and 10,000 synthetic pages.
#   bench/search-bench.sh            # both sizes
#   PAGES=2000 bench/search-bench.sh # other sizes, comma-separated
# Needs cargo and node. Peak memory is reported when GNU time is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${SEARCH_BENCH_OUT:-$PWD/target/search-bench}"
pages="${PAGES:-1000,10000}"

echo "== building the index of synthetic pages ($pages)"
cargo test --release --quiet --test search_bench --no-run
timer=()
if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f 'peak memory: %M KiB'); fi
SEARCH_BENCH_PAGES="$pages" SEARCH_BENCH_OUT="$out" "${timer[@]}" \
  cargo test --release --quiet --test search_bench -- --ignored --nocapture 2>&1 \
  | grep -E '^\{|peak memory' | tee "$out.builds.txt"

for n in ${pages//,/ }; do
  dir="$out/$n/search"
  echo "== $n pages: total index size"
  du -sb "$dir" | awk '{printf "%.1f MB in ", $1/1e6}'
  find "$dir" -type f | wc -l | awk '{print $1 " files"}'
  echo "== $n pages: first query (search.js + meta + shards + 10 result fragments, gzip -6)"
  node bench/search-first-query.mjs "$dir" 10 \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);for(const q of r.queries)console.log(`${q.query.padEnd(42)} ${String(q.files).padStart(3)} files ${(q.gzip_bytes/1024).toFixed(1).padStart(6)} KB gz  (meta ${(q.index_gzip.meta/1024).toFixed(1)}, shards ${(q.index_gzip.shards/1024).toFixed(1)}, pages ${(q.index_gzip.pages/1024).toFixed(1)} KB; ${q.results} results; ${q.search_ms_warm} ms warm)`)})'
done
