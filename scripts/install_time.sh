#!/usr/bin/env bash
# Times README command 1 as a new user meets it: a fresh clone of this repository's HEAD, a fresh
# venv, then the README's first command under /usr/bin/time (wall and CPU seconds). RUNS times
# (default 1), one after another; run it on a quiet machine. Usage: bash scripts/install_time.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
cmd=$(awk '/^```sh$/{inside=1; next} /^```$/{if (inside) exit} inside' README.md | head -n 1)
[ -n "$cmd" ] || { echo "no sh block in README.md" >&2; exit 1; }
echo "README command 1: $cmd"
for i in $(seq "$runs"); do
  work=$(mktemp -d)
  git clone -q . "$work/repo"
  python3 -m venv "$work/venv"
  (
    cd "$work/repo"
    export PATH="$work/venv/bin:$PATH" VIRTUAL_ENV="$work/venv"
    /usr/bin/time -f "run $i: wall %e s, user %U s, sys %S s" -o "$work/time" \
      bash -c "$cmd" > "$work/log" 2>&1 || { tail -n 20 "$work/log" >&2; exit 1; }
  )
  echo "$(cat "$work/time"); printed $(tail -n 1 "$work/log"); load $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$work"
done
