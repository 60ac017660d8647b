#!/usr/bin/env bash
# The error path against the good path, in one run.
#
#   bench/error-bench.sh [PAGES ...]     (default: 1000 10000)
#
# For each size it makes the shared synthetic content
# (../shared/bench/make-site.sh), builds it as it is (every internal link
# resolves), then builds a copy whose links all point to the page names
# without their `synth-` prefix, so that every internal link is broken (about
# 4 a page), as after renaming a section. It reports wall time, CPU time and
# peak memory of each (median of RUNS, default 3) and the ratio. The goal: the
# failing build takes at most 2 times as long as the good one.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${RUNS:-3}
make_site=${MAKE_SITE:-../shared/bench/make-site.sh}
base=/dev/shm; [ -d $base ] || base=$(mktemp -d)
work=$base/wegwijzer-error-bench
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$(pwd)/target/release/wegwijzer

median() { # median wall of $runs: prints "wall cpu maxrss_kb"
  local rows=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" >/dev/null 2>&1 || true
    rows+=("$(tail -1 "$work/time")")
  done
  printf '%s\n' "${rows[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p" |
    awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4 / 1024}'
}

printf '%-8s %-8s %8s %8s %9s %8s\n' pages site wall_s cpu_s peak_MiB errors
for n in "${sizes[@]}"; do
  rm -rf "$work"; mkdir -p "$work"
  bash "$make_site" "$n" "$work/gen" >/dev/null
  good=$work/gen/ww
  broken=$work/broken
  cp -r "$good" "$broken"
  find "$broken/content" -name 'synth-*.md' -print0 | xargs -0 sed -i 's#](/\([a-z-]*\)/synth-#](/\1/#g'
  last=$("$bin" build --root "$broken" --output "$work/out-broken" --quiet 2>&1 | tail -1 || true)
  read -r gw gc gm <<<"$(median "$bin" build --root "$good" --output "$work/out-good" --quiet)"
  read -r bw bc bm <<<"$(median "$bin" build --root "$broken" --output "$work/out-broken" --quiet)"
  printf '%-8s %-8s %8s %8s %9s\n' "$n" good "$gw" "$gc" "$gm"
  printf '%-8s %-8s %8s %8s %9s   %s\n' "$n" broken "$bw" "$bc" "$bm" "$last"
  echo "         failing / good wall time: $(echo "scale=2; $bw / $gw" | bc)"
done
