#!/usr/bin/env bash
# The run command: installs what is missing, builds, and runs a whole Serious Case Review
# of the fictional Northbridge demo board from referral to closure, on a fresh SQLite
# database, then shows the panel chair's list and the review itself.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" "$root/build" >/dev/null
cr="$root/build/app/casereview"
demo_dir="$root/demo"
db="$demo_dir/casereview-demo.db"
mkdir -p "$demo_dir"
rm -f "$db" "$db-wal" "$db-shm"

echo "== Running examples/scr_full_lifecycle.json against $db"
"$cr" --db "$db" scenario run "$root/examples/scr_full_lifecycle.json"
echo
echo "== casereview --db $db review list --all"
"$cr" --db "$db" review list --all
echo
echo "== casereview --db $db review show SCR-2026-001"
"$cr" --db "$db" review show SCR-2026-001
echo
echo "== casereview --db $db verify"
"$cr" --db "$db" verify
echo
echo "The database is yours to explore: $cr --db $db --help"
