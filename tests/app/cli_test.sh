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
# expect_refusal EXIT_CODE TEXT -- ARGS: the command fails with that code, says TEXT, and
# leaves the database file byte-for-byte unchanged.
expect_refusal() {
  local code=$1 text=$2; shift 3
  local before after out rc=0
  before=$(sha256sum "$db")
  out=$(run "$@" 2>&1) || rc=$?
  after=$(sha256sum "$db")
  [ "$rc" = "$code" ] || fail "expected exit $code, got $rc from: $* ($out)"
  grep -qF -- "$text" <<<"$out" || fail "expected '$text' in: $out"
  [ "$before" = "$after" ] || fail "database changed after a refused command: $*"
}

# Before any board: a clear error, and no database file is created.
out=$("$cr" --db "$db" review list 2>&1) && fail "review list without a database succeeded"
grep -q "no database at" <<<"$out" || fail "missing-database message: $out"
[ ! -e "$db" ] || fail "a read created the database"

run board create --id demo --name "Northbridge LSCB (fictional)" >/dev/null
run import "$examples/demo-board.json" | grep -q "imported 8 agencies and 17 people" || fail "board import"
printf 'id,name,sector\nprobation,Northbridge Probation,probation\n' >"$work/agencies.csv"
run import "$work/agencies.csv" | grep -q "imported 1 agencies" || fail "csv import"
run person add --id p-probation --name "Lee Stroud" --email lee.stroud@example.org --agency probation --roles panel-member >/dev/null
run --json person list | grep -q '"p-probation"' || fail "person list --json"
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
    --set attendees=p-panel-chair,p-csc-lead,p-police-lead | grep -q "stage UnderPanelConsideration" || fail "meeting"
expect_refusal 3 "was not quorate" -- record "$ref" ScrRecommended --by p-panel-chair --set reasons="criteria met"
run record "$ref" PanelMeetingHeld --by p-spoc --json '{"date": "2026-01-19", "attendees": ["p-panel-chair", "p-csc-lead", "p-health-lead", "p-police-lead", "p-schools-lead"]}' >/dev/null
run record "$ref" ScrRecommended --by p-panel-chair --set reasons="criteria met" | grep -q AwaitingChairDecision || fail "recommend"

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
run review list | grep -q "	AwaitingChairDecision	next due 20..-..-.. (.. days)	board-chair	" || fail "review list text: $(run review list)"
# The child's name is in the case record only: never in what the CLI shows.
if run review show "$ref" --json | grep -q "Zebedee"; then fail "review show printed the child's name"; fi
if run review list | grep -q "Zebedee"; then fail "review list printed the child's name"; fi
run events ImrCommissioned | grep -q "author_declares_independence (bool, required)" || fail "events help"

# Deadlines: the board chair's decision is due a month after the referral (seed-2010).
run deadlines --at 2000-01-01 | grep -q "days left	board-chair	board chair decides whether to hold an SCR" \
  || fail "deadlines before the due date: $(run deadlines --at 2000-01-01)"
run deadlines --at 2099-01-01 | grep -q "OVERDUE by" || fail "deadlines after the due date"
run deadlines --at 2099-01-01 --json | python3 -c 'import json,sys; d=json.load(sys.stdin)["deadlines"]; assert d[0]["rule"]=="scr-decision" and d[0]["overdue"] is True, d' \
  || fail "deadlines --json"
expect_refusal 1 "is not a date-time" -- deadlines --at "next tuesday"
run deadlines --at 2099-01-01 | grep -q "^would fire .*DeadlineReminderDue	scr-decision reminder-1" || fail "deadlines --at preview"

# Timers: nothing is due yet today, so the scheduler fires nothing and the outbox is empty;
# the preview above fired nothing either.
run scheduler run | grep -q "^fired 0 timers" || fail "scheduler run"
[ "$(run report slippage --json)" = "[]" ] || fail "slippage before any decision"

# The calendar: Boxing Day 2026 is a Saturday, so the holiday is Monday 28 December.
run calendar show --year 2026 | grep -q "^2026-12-28	Boxing Day" || fail "calendar show: $(run calendar show --year 2026)"
echo '{"england-and-wales": {"division": "england-and-wales", "events": [{"title": "x", "date": "2026-13-01"}]}}' >"$work/bad-holidays.json"
expect_refusal 1 "bank holidays file" -- calendar update "$work/bad-holidays.json"
[ "$(run outbox --json)" = "[]" ] || fail "outbox after a preview: $(run outbox --json)"
# The long-running scheduler sleeps until the next timer and stops cleanly on SIGTERM.
"$cr" --db "$db" scheduler serve >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 50); do grep -q "scheduler running" "$work/serve.log" && break; sleep 0.1; done
grep -q "scheduler running" "$work/serve.log" || fail "scheduler serve did not start: $(cat "$work/serve.log")"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "scheduler serve exited non-zero"
serve_pid=""
grep -q "scheduler stopped" "$work/serve.log" || fail "scheduler serve did not stop cleanly"
expect_refusal 1 "no policy profile 'wt2099'" -- board create --id other --name Other --profile wt2099
run verify | grep -q "verified 1 reviews" || fail "verify"
run --help >/dev/null && run record --help | grep -q -- "--set" || fail "--help"
echo "cli walkthrough: 1 passed, 0 failed"
