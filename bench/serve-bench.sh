#!/usr/bin/env bash
# `wegwijzer serve` benchmark: the time from saving one page to its new HTML
# being served (with listings, sitemap and search index of the same build),
# and the server's memory over many edits.
#   bench/serve-bench.sh                      # 10,000 pages: text, date and title edits, then 1,000 text edits
#   PAGES=2000 EDITS=50 bench/serve-bench.sh  # one other size
# Needs cargo and python3. Writes the synthetic sites under target/serve-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${SERVE_BENCH_OUT:-$PWD/target/serve-bench}"
gen=bench/gen-site.py

cargo build --release --quiet
bin="$PWD/target/release/wegwijzer"

run() { # pages edits kind
  local site="$out/site-$1"
  python3 "$gen" "$site" --pages "$1" --institutions "${INSTITUTIONS:-0}" >/dev/null 2>&1
  echo "== $1 pages, $2 $3 edits"
  python3 bench/serve-bench.py "$bin" "$site" --edits "$2" --kind "$3"
}

if [ -n "${PAGES:-}" ]; then
  run "$PAGES" "${EDITS:-20}" "${KIND:-body}"
else
  run 10000 50 body
  run 10000 10 updated
  run 10000 10 title
  run 10000 1000 body
fi
