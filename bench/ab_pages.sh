#!/usr/bin/env bash
# Compare /market and /archive between an earlier commit and this tree, in one run.
#   bench/ab_pages.sh [OLD_COMMIT] (default 76dd90e, the tree before the floors)   ROUNDS=6 DUR=10
# Each side gets its own SQLite database built by its own `bench.server setup DB 20000`; both are served
# at once by gunicorn (2 workers); wrk -t2 -c16 loads each page on old and new in turn (the order flips
# every round); the medians and new/old are printed at the end.
set -euo pipefail
NEW=$(cd "$(dirname "$0")/.." && pwd)
COMMIT=${1:-76dd90e}; ROUNDS=${ROUNDS:-6}; DUR=${DUR:-10}
WORK=${TMPDIR:-/tmp}/ab-pages-$COMMIT; OLD=$WORK/tree
command -v wrk >/dev/null || apt-get install -y wrk
mkdir -p "$WORK"
if [ ! -d "$OLD" ]; then
  git -C "$NEW" worktree add --detach "$OLD" "$COMMIT" >/dev/null
  ln -s "$NEW/.venv" "$OLD/.venv"
  (cd "$OLD" && .venv/bin/pybabel compile -d sharing/translations -f >/dev/null)
fi
for side in old new; do
  tree=$OLD; [ $side = new ] && tree=$NEW
  mkdir -p "$WORK/instance-$side"
  [ -f "$WORK/$side.db" ] || (cd "$tree" && PYTHONPATH=$tree .venv/bin/python -m bench.server setup "$WORK/$side.db" 20000 | tail -1)
done
start() { # side port
  tree=$OLD; [ "$1" = new ] && tree=$NEW
  (cd "$tree" && exec env DATABASE_URL="sqlite:///$WORK/$1.db" INSTANCE_PATH="$WORK/instance-$1" SHARING_ENV=development \
    LOG_LEVEL=WARNING PYTHONPATH="$tree" .venv/bin/gunicorn --workers 2 --bind "127.0.0.1:$2" \
    --pid "$WORK/$1.pid" wsgi:app >"$WORK/$1.log" 2>&1) &
}
start old 5101; start new 5102
trap 'kill $(cat "$WORK/old.pid" "$WORK/new.pid") 2>/dev/null' EXIT
sleep 4
for r in $(seq 1 "$ROUNDS"); do
  for path in /market /archive; do
    order="5101 5102"; [ $((r % 2)) = 0 ] && order="5102 5101"
    for p in $order; do
      side=new; [ "$p" = 5101 ] && side=old
      rps=$(wrk -t2 -c16 -d"${DUR}s" "http://127.0.0.1:$p$path" | awk '/Requests\/sec/{print $2}')
      echo "round $r $path $side $rps"
    done
  done
done | tee "$WORK/rounds.log"
python3 - "$WORK/rounds.log" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, _, path, side, rps = line.split()
    runs[(path, side)].append(float(rps))
for path in ("/market", "/archive"):
    old, new = statistics.median(runs[(path, "old")]), statistics.median(runs[(path, "new")])
    print(f"{path}: before {old:,.0f} req/s, after {new:,.0f} req/s, after/before {new / old:.2f}")
PY
