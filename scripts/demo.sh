#!/usr/bin/env bash
# The run command: installs what is missing, builds, and runs a whole Serious Case Review
# of the fictional Northbridge demo board from referral to closure, on a fresh SQLite
# database, then a child death review referred into a second SCR, then shows the panel
# chair's list and the first review itself, and delivers the notices
# the review left (to the local mail drop: .eml files in demo/mail-drop/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" "$root/build" >/dev/null
cr="$root/build/app/casereview"
demo_dir="$root/demo"
db="$demo_dir/casereview-demo.db"
mkdir -p "$demo_dir"
rm -rf "$db" "$db-wal" "$db-shm" "$demo_dir/mail-drop"

echo "== Running examples/scr_full_lifecycle.json against $db"
"$cr" --db "$db" scenario run "$root/examples/scr_full_lifecycle.json"
echo
echo "== Running examples/cdop_unexpected_death.json against $db (a child death review, referred for an SCR)"
"$cr" --db "$db" scenario run "$root/examples/cdop_unexpected_death.json" --quiet
echo
echo "== casereview --db $db review list --all"
"$cr" --db "$db" review list --all
echo
echo "== casereview --db $db review show SCR-2026-001"
"$cr" --db "$db" review show SCR-2026-001
echo
echo "== casereview --db $db outbox send   (no SMTP server given: the mail drop)"
"$cr" --db "$db" outbox send
echo
first=$(ls "$demo_dir/mail-drop" | sort -V | head -1)
echo "== $demo_dir/mail-drop/$first (one of $(ls "$demo_dir/mail-drop" | wc -l) messages; headers and the text part)"
python3 - "$demo_dir/mail-drop/$first" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
for h in ("From", "To", "Subject", "Date", "Message-ID"):
    print(f"{h}: {m[h]}")
print()
print(m.get_body(preferencelist=("plain",)).get_content())
PY
echo
echo "== casereview --db $db verify"
"$cr" --db "$db" verify
echo
echo "The database is yours to explore: $cr --db $db --help"
echo "Browse it: echo 'a long enough passphrase' | $cr --db $db person password --id p-panel-chair"
echo "           $cr --db $db serve --mail-drop $demo_dir/mail-drop"
echo "           then open http://127.0.0.1:8080/ and sign in as jordan.pike@example.org (docs/web.md)"
echo "Or the API: $cr --db $db token create --person p-panel-chair   # prints a token, once"
echo "          $cr --db $db serve --mail-drop $demo_dir/mail-drop   # http://127.0.0.1:8080/api/v1 (docs/api.md)"
echo "          curl -H 'Authorization: Bearer TOKEN' 'http://127.0.0.1:8080/api/v1/reviews?all'"
