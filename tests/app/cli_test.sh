#!/usr/bin/env bash
# The command line as a business officer and panel chair use it: a board from files, a
# referral, events recorded, refusals that exit non-zero and change nothing, and the
# review shown as text and JSON. Usage: cli_test.sh CASEREVIEW EXAMPLES_DIR
set -euo pipefail
cr=$1 examples=$2
work=$(mktemp -d)
serve_pid=""
trap 'if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
db="$work/board.db"
run() { "$cr" --db "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# has PATTERN: reads all of stdin, then greps it. `cmd | grep -q` stops reading at the first
# match, so a writer with more to say gets SIGPIPE and pipefail fails the check.
has() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
# Everything the database holds but its audit log, which records refusals too.
case_data() { sqlite3 "$db" .dump | grep -v '^INSERT INTO audit_log' | sha256sum; }
# expect_refusal EXIT_CODE TEXT -- ARGS: the command fails with that code, says TEXT, and
# leaves every table but the audit log unchanged.
expect_refusal() {
  local code=$1 text=$2; shift 3
  local before after out rc=0
  before=$(case_data)
  out=$(run "$@" 2>&1) || rc=$?
  after=$(case_data)
  [ "$rc" = "$code" ] || fail "expected exit $code, got $rc from: $* ($out)"
  grep -qF -- "$text" <<<"$out" || fail "expected '$text' in: $out"
  [ "$before" = "$after" ] || fail "database changed after a refused command: $*"
}

# Before any board: a clear error, and no database file is created.
out=$("$cr" --db "$db" review list 2>&1) && fail "review list without a database succeeded"
grep -q "no database at" <<<"$out" || fail "missing-database message: $out"
[ ! -e "$db" ] || fail "a read created the database"

run board create --id demo --name "Northbridge LSCB (fictional)" >/dev/null
# --db as a location: sqlite:PATH is the same file; a scheme this build does not open is refused.
"$cr" --db "sqlite:$db" board show | has "Northbridge LSCB" || fail "--db sqlite:PATH"
out=$("$cr" --db "postgresql://casereview@localhost/casereview" board show 2>&1) && fail "--db postgresql:// was accepted"
grep -q "this build opens SQLite files only" <<<"$out" || fail "--db postgresql:// message: $out"
run import "$examples/demo-board.json" | has "imported 8 agencies and 17 people" || fail "board import"
printf 'id,name,sector\nprobation,Northbridge Probation,probation\n' >"$work/agencies.csv"
run import "$work/agencies.csv" | has "imported 1 agencies" || fail "csv import"
run person add --id p-probation --name "Lee Stroud" --email lee.stroud@example.org --agency probation --roles panel-member >/dev/null
run --json person list | has '"p-probation"' || fail "person list --json"
panel=$(run person list --role panel-member | cut -f1 | tr '\n' ' ')
[ "$panel" = "p-csc-lead p-family-liaison p-health-lead p-hospital-lead p-panel-chair p-police-lead p-probation p-schools-lead p-voluntary-lead " ] \
  || fail "the standing panel: $panel"
expect_refusal 1 "unknown sector 'space'" -- agency add --id moon --name Moon --sector space

ref=$(run refer --by p-spoc --set referring_agency=police --set incident=death --set incident_date=2026-01-02 \
        --set abuse_or_neglect=suspected --set agencies_involved=csc,police --set subject_name="Zebedee Quill")
[[ $ref =~ ^SCR-[0-9]{4}-001$ ]] || fail "referral reference: $ref"

expect_refusal 1 "field 'incident' must be one of: death, serious-injury" -- \
  refer --by p-spoc --set referring_agency=police --set incident=fall --set incident_date=2026-01-02 \
        --set abuse_or_neglect=suspected --set agencies_involved=csc
expect_refusal 1 "no review SCR-1999-001" -- record SCR-1999-001 PanelMeetingHeld --by p-spoc --set date=2026-01-12
expect_refusal 3 "cannot be recorded on $ref at stage Referred" -- record "$ref" ImrSubmitted --by p-spoc --set agency=csc
expect_refusal 1 "field 'date' is required" -- record "$ref" PanelMeetingHeld --by p-spoc --set attendees=p-panel-chair

run record "$ref" PanelMeetingHeld --by p-spoc --set date=2026-01-12 \
    --set attendees=p-panel-chair,p-csc-lead,p-police-lead | has "stage UnderPanelConsideration" || fail "meeting"
expect_refusal 3 "was not quorate" -- record "$ref" ScrRecommended --by p-panel-chair --set reasons="criteria met"
run record "$ref" PanelMeetingHeld --by p-spoc --json '{"date": "2026-01-19", "attendees": ["p-panel-chair", "p-csc-lead", "p-health-lead", "p-police-lead", "p-schools-lead"]}' >/dev/null
run record "$ref" ScrRecommended --by p-panel-chair --set reasons="criteria met" | has AwaitingChairDecision || fail "recommend"

show=$(run review show "$ref")
grep -q "AwaitingChairDecision" <<<"$show" || fail "review show stage"
grep -q "held by:  board-chair" <<<"$show" || fail "review show holder: $show"
run review show "$ref" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["stage"]=="AwaitingChairDecision" and len(j["history"])==4, j' \
  || fail "review show --json"
run review list --json | python3 -c 'import json,sys; j=json.load(sys.stdin); assert [r["ref"] for r in j]==[sys.argv[1]]' "$ref" \
  || fail "review list --json"
# The chair's one line: stage, the next due date with days left, who holds the next step.
run review list --json | python3 -c 'import json,sys; r=json.load(sys.stdin)[0]; assert r["next_due"]["what"]=="board chair decides whether to hold an SCR" and 27<=r["next_due"]["days_left"]<=31 and r["overdue"]==0, r' \
  || fail "review list next_due: $(run review list --json)"
run review list | has "	AwaitingChairDecision	next due 20..-..-.. (.. days)	board-chair	" || fail "review list text: $(run review list)"
# The child's name is in the case record only: never in what the CLI shows.
if run review show "$ref" --json | has "Zebedee"; then fail "review show printed the child's name"; fi
if run review list | has "Zebedee"; then fail "review list printed the child's name"; fi
run events ImrCommissioned | has "author_declares_independence (bool, required)" || fail "events help"

# Deadlines: the board chair's decision is due a month after the referral (seed-2010).
run deadlines --at 2000-01-01 | has "days left	board-chair	board chair decides whether to hold an SCR" \
  || fail "deadlines before the due date: $(run deadlines --at 2000-01-01)"
run deadlines --at 2099-01-01 | has "OVERDUE by" || fail "deadlines after the due date"
run deadlines --at 2099-01-01 --json | python3 -c 'import json,sys; d=json.load(sys.stdin)["deadlines"]; assert d[0]["rule"]=="scr-decision" and d[0]["overdue"] is True, d' \
  || fail "deadlines --json"
expect_refusal 1 "is not a date-time" -- deadlines --at "next tuesday"
run deadlines --at 2099-01-01 | has "^would fire .*DeadlineReminderDue	scr-decision reminder-1" || fail "deadlines --at preview"

# Timers: nothing is due yet today, so the scheduler fires nothing and the outbox is empty;
# the preview above fired nothing either.
run scheduler run | has "^fired 0 timers" || fail "scheduler run"
[ "$(run report slippage --json)" = "[]" ] || fail "slippage before any decision"

# The calendar: Boxing Day 2026 is a Saturday, so the holiday is Monday 28 December.
run calendar show --year 2026 | has "^2026-12-28	Boxing Day" || fail "calendar show: $(run calendar show --year 2026)"
echo '{"england-and-wales": {"division": "england-and-wales", "events": [{"title": "x", "date": "2026-13-01"}]}}' >"$work/bad-holidays.json"
expect_refusal 1 "bank holidays file" -- calendar update "$work/bad-holidays.json"
run outbox --json | python3 -c 'import json,sys; k=[n["kind"] for n in json.load(sys.stdin)]; assert k==["case-referred","decision-needed"], k' \
  || fail "outbox after a preview (no timer notices): $(run outbox --json)"

# The outbox: the referral told the standing panel, the recommendation the board chair.
# With no SMTP server given, messages go to the mail drop beside the database.
run outbox --status pending | has "pending	case-referred	$ref	consider the referral" || fail "outbox list: $(run outbox)"
run outbox send | has "^sent 2 through mail drop $work/mail-drop" || fail "outbox send"
[ "$(ls "$work/mail-drop" | wc -l)" = 2 ] || fail "mail drop: $(ls "$work/mail-drop")"
grep -q "^Message-ID: <${ref}_231.0@localhost>" "$work/mail-drop/${ref}_1.0.eml" || fail "Message-ID: $(head -20 "$work/mail-drop/${ref}_1.0.eml")"
grep -q "^Subject: \[$ref\] Decision needed: decide whether to hold an SCR" "$work/mail-drop/${ref}_4.0.eml" || fail "decision subject"
if grep -rq "Zebedee" "$work/mail-drop"; then fail "a message carried the child's name"; fi
run outbox --status sent --json | python3 -c 'import json,sys; j=json.load(sys.stdin); assert len(j)==2 and all(n["attempts"]==1 and n["sent_at"] for n in j), j' \
  || fail "outbox --status sent"
run outbox send | has "^sent 0 " || fail "a second send sent again"
# A mail server that cannot be reached: the notice is kept, failed after its last attempt,
# listed with the reason, and sent once retried. Nothing is lost.
run record "$ref" ChairDecidedToProceed --by p-board-chair --set date=2026-01-26 >/dev/null  # no notice
run record "$ref" ReviewPanelFormed --by p-spoc --set chair=p-panel-chair --set members=p-csc-lead,p-schools-lead,p-probation >/dev/null
run record "$ref" OverviewWriterAppointed --by p-spoc --set writer=p-writer >/dev/null
rc=0; run outbox send --smtp-host 127.0.0.1 --smtp-port 1 --max-attempts 1 >"$work/send.log" 2>&1 || rc=$?
[ "$rc" = 5 ] || fail "send to an unreachable server should exit 5, got $rc: $(cat "$work/send.log")"
grep -q "could not be reached" "$work/send.log" || fail "unreachable message: $(cat "$work/send.log")"
run outbox --status failed | has "failed	overview-commissioned	$ref" || fail "failed notice listed: $(run outbox)"
run outbox --status failed | has "last error: attempt 1: mail server smtp://127.0.0.1:1" || fail "failed notice's error: $(run outbox --status failed)"
expect_refusal 1 "outbox retry takes a notice id or --all" -- outbox retry
expect_refusal 1 "not failed" -- outbox retry "$ref#1.0"
run outbox retry --all | has "^queued 1 failed notices again" || fail "outbox retry --all"
run outbox send | has "^sent 1 " || fail "send after retry"
grep -q "^Subject: \[$ref\] Overview writer appointed" "$work/mail-drop/${ref}_"*.eml || fail "overview writer's message"
# Templates: listed, exported for editing, and an edited subject used without recompiling.
run outbox templates | has -x "imr-commissioned" || fail "outbox templates"
run outbox templates --export "$work/templates" | has "^wrote 46 templates" || fail "templates export: $(ls "$work/templates" | wc -l)"
echo 'Please act: {{review}}' >"$work/templates/imr-commissioned.subject"
echo 'x' >"$work/templates/no-such.subject"
expect_refusal 1 "no-such.subject is not a template casereview uses" -- outbox send --templates "$work/templates"
rm "$work/templates/no-such.subject"
run record "$ref" TermsOfReferenceAgreed --by p-spoc --set date=2026-01-30 >/dev/null
run record "$ref" ImrCommissioned --by p-spoc --set agency=csc --set author=p-csc-author --set senior_manager=p-csc-sm \
    --set author_declares_independence=true >/dev/null
run outbox send --templates "$work/templates" --mail-drop "$work/drop2" | has "^sent 1 " || fail "send with templates"
grep -q "^Subject: Please act: $ref" "$work/drop2/"*.eml || fail "edited template not used: $(grep Subject "$work/drop2/"*.eml)"

# A board meeting: its action-plan digest is queued five working days before.
run board meeting 2026-12-10 | has "meets on 2026-12-10" || fail "board meeting"
run board meetings | has -x "2026-12-10" || fail "board meetings"
expect_refusal 1 "board meeting:" -- board meeting 2026-02-30

# The long-running scheduler sleeps until the next timer, delivers the outbox as notices are
# queued, and stops cleanly on SIGTERM.
run record "$ref" ImrCommissioned --by p-spoc --set agency=police --set author=p-police-author --set senior_manager=p-police-sm \
    --set author_declares_independence=true >/dev/null
"$cr" --db "$db" scheduler serve --mail-drop "$work/drop3" >"$work/serve.log" 2>&1 &
serve_pid=$!
# (It also fires the timers that fell due since January, today being later, and delivers
# what they leave: wait until nothing is pending.)
for _ in $(seq 150); do
  grep -qs "IMR commissioned from Northbridge Borough Police" "$work/drop3/"*.eml && [ "$(run outbox --status pending --json)" = "[]" ] && break
  sleep 0.1
done
grep -q "scheduler running on .*, delivering through mail drop $work/drop3" "$work/serve.log" || fail "scheduler serve did not start: $(cat "$work/serve.log")"
grep -qs "IMR commissioned from Northbridge Borough Police" "$work/drop3/"*.eml || fail "scheduler serve did not deliver: $(cat "$work/serve.log")"
[ "$(run outbox --status pending --json)" = "[]" ] || fail "scheduler serve left notices pending: $(run outbox --status pending)"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "scheduler serve exited non-zero"
serve_pid=""
grep -q "scheduler stopped" "$work/serve.log" || fail "scheduler serve did not stop cleanly"
if grep -rq "Zebedee" "$work"/drop* "$work"/*.log; then fail "the child's name reached a message or a log"; fi
expect_refusal 1 "no policy profile 'wt2099'" -- board create --id other --name Other --profile wt2099
# A child death review: notified, a second notification of the same death refused (the NHS
# number is never echoed), then referred into a linked SCR.
death=(notify --by p-spoc --set notifying_agency=hospital --set death_date=2026-01-04 --set place_of_death=hospital
  --set expected=unexpected --set agencies_involved=hospital,csc --set resident_in_area=true --set nhs_number=9434765919)
cdr=$(run "${death[@]}")
[ "$cdr" = "CDR-2026-001" ] || fail "notify: $cdr"
expect_refusal 1 "already notified as $cdr" -- "${death[@]}" --set subject_name="Zebedee Quill"
if run "${death[@]}" 2>&1 | has 9434765919; then fail "an error echoed the NHS number"; fi
expect_refusal 3 "cannot be recorded on $cdr" -- record "$cdr" AgencyReportRequested --by p-spoc --set agency=csc --set author=p-csc-author
run record "$cdr" RapidResponseStarted --by p-spoc --set date=2026-01-05 | has "stage RapidResponse" || fail "rapid response"
run record "$cdr" ReferredForScr --by p-spoc --set reasons="neglect suspected" >/dev/null
run review show "$cdr" | has "referred for an SCR: SCR-2026-002" || fail "the link on the child death review: $(run review show "$cdr")"
run review show SCR-2026-002 | has "referred from child death review $cdr" || fail "the link on the SCR"
run events --kind cdop | has "^PanelReviewHeld" || fail "events --kind cdop"
run report cdop --from 2026-01-01 --to 2026-12-31 --csv | has "^reviews,,notified,1" || fail "report cdop --csv: $(run report cdop --from 2026-01-01 --to 2026-12-31 --csv)"
run report cdop --from 2026-01-01 --to 2026-12-31 | has "^Child deaths notified 2026-01-01 to 2026-12-31: 1 (1 unexpected" || fail "report cdop"
expect_refusal 1 "--to is before --from" -- report cdop --from 2026-12-31 --to 2026-01-01
run verify | has "verified 3 reviews" || fail "verify: $(run verify)"
# A backup while the database is in use, checked; a restore into a new file, checked; an
# existing file is never overwritten without --replace.
run backup "$work/backup.db" | has "^backed up .* 3 reviews, .*SQLite integrity check ok" || fail "backup"
expect_refusal 1 "already exists" -- backup "$work/backup.db"
# The log holds keyed entries (the command line audits what it reads and records), so a
# restore into a new file is checked with the deployment's key, named with --audit-key.
"$cr" --db "$work/restored.db" --audit-key "$db.audit-key" restore "$work/backup.db" | has "^verified 3 reviews" || fail "restore"
out=$("$cr" --db "$db" restore "$work/backup.db" 2>&1) && fail "restore over the live database without --replace"
grep -q "give --replace" <<<"$out" || fail "restore refusal: $out"
# The server: a password (from standard input, never stored in clear) and a token; the API
# over HTTP on a free loopback port; every access audited; the chain verified, then broken.
echo "too short" | run person password --id p-panel-chair 2>"$work/pw.err" && fail "a short password was accepted"
grep -q "at least 12 characters" "$work/pw.err" || fail "short password: $(cat "$work/pw.err")"
echo "a long enough passphrase" | run person password --id p-panel-chair | has "password set for p-panel-chair" || fail "person password"
if grep -aq "a long enough passphrase" "$db"; then fail "the password is in the database in clear"; fi
token=$(run --json token create --person p-spoc --label walkthrough | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$cr" --db "$db" serve --port "$port" --mail-drop "$work/drop4" >"$work/http.log" 2>&1 &
serve_pid=$!
api() {  # api PATH [TOKEN]: prints "STATUS BODY"
  python3 - "$port" "$1" "${2:-}" <<'PY'
import sys, urllib.request, urllib.error
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}{sys.argv[2]}")
if sys.argv[3]: req.add_header("Authorization", "Bearer " + sys.argv[3])
try:
    with urllib.request.urlopen(req, timeout=60) as r: print(r.status, r.read().decode())
except urllib.error.HTTPError as e: print(e.code, e.read().decode())
except OSError as e: print("ERR", e)
PY
}
for _ in $(seq 100); do api /api/v1/health 2>/dev/null | has "^200" && break; sleep 0.1; done
api "/api/v1/reviews/$ref" "$token" | has "^200" || fail "GET review over HTTP: $(api "/api/v1/reviews/$ref" "$token")"
api "/api/v1/reviews/$ref" | has "^401" || fail "an unsigned request was served"
api "/api/v1/audit" "$token" | has "^403" || fail "the SPOC read the audit log"
kill -TERM "$serve_pid"; wait "$serve_pid" || fail "serve exited non-zero: $(cat "$work/http.log")"
serve_pid=""
grep -q "server stopped" "$work/http.log" || fail "serve did not stop cleanly"
run audit list --target "$ref" | has "p-spoc	review.read	$ref	ok" || fail "audit list: $(run audit list)"
run audit verify | has "^audit log intact: " || fail "audit verify: $(run audit verify)"
head=$(run audit verify | sed 's/.*head //')
run audit verify --head "$head" | has "^audit log intact" || fail "audit verify --head $head"
run audit verify | has "keyed (HMAC-SHA-256) from entry 1" || fail "audit verify keyed: $(run audit verify)"
# The key and the head witness are beside the database, readable by their owner only.
[ "$(stat -c %a "$db.audit-key")" = 600 ] && [ "$(stat -c %a "$db.audit-head")" = 600 ] || fail "key or witness mode"
# The newest entry deleted: the witness finds it, with no head noted.
run backup "$work/audited.db" >/dev/null || fail "backup of the audited database"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM audit_log WHERE seq=(SELECT MAX(seq) FROM audit_log)"); c.commit()' "$db"
expect_refusal 4 "were deleted" -- audit verify
# A restore checks the restored log with the key, moves the witness to it and is itself audited.
run restore "$work/audited.db" --replace >"$work/restore.out" 2>&1 || fail "restore of the audit log: $(cat "$work/restore.out")"
grep -q "^audit log: .* verified with the key" "$work/restore.out" || fail "restore of the audit log: $(cat "$work/restore.out")"
run audit verify | has "^audit log intact" || fail "audit verify after restore: $(run audit verify 2>&1)"
run audit list | has "cli	database.restore" || fail "the restore is not in the audit log"
# Without its key the log cannot be verified, and no new key is made.
mv "$db.audit-key" "$work/audit-key.saved"
expect_refusal 4 "is missing" -- audit verify
[ ! -e "$db.audit-key" ] || fail "a new audit key was made"
run --audit-key "$work/audit-key.saved" audit verify | has "^audit log intact" || fail "audit verify --audit-key"
mv "$work/audit-key.saved" "$db.audit-key"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE audit_log SET actor=? WHERE seq=2", ("p-nobody",)); c.commit()' "$db"
expect_refusal 4 "entry 2 was changed after it was written" -- audit verify
# A second board may use the first board's person ids for its own people: nothing of the
# first board's changes, and a command that could mean either asks which board.
run board create --id other --name "Other Partnership (fictional)" >/dev/null || fail "second board"
run person add --board other --id p-spoc --name "Other Officer" --email other.spoc@example.org --roles business-officer \
  | has "person p-spoc saved" || fail "a person of the same id on the second board"
run person list --board demo | grep -q "Other Officer" && fail "the second board's person moved onto the first"
expect_refusal 1 "several boards" -- person password --id p-spoc
echo "another long passphrase" | run person password --id p-spoc --board other | has "password set for p-spoc" \
  || fail "person password --board"
expect_refusal 1 "several boards have a person with this id" -- refer --by p-spoc --set referring_agency=police \
  --set incident=death --set incident_date=2026-01-02 --set subject_name="Child Z" --set subject_dob=2025-01-01
run token create --person p-spoc --board other --label theirs | has "token tok-" || fail "token create --board"
run token list --board other | has "	other	p-spoc	theirs	" || fail "token list --board: $(run token list)"
run --help >/dev/null && run record --help | has -- "--set" || fail "--help"
echo "cli walkthrough: 1 passed, 0 failed"
