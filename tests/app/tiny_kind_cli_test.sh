#!/usr/bin/env bash
# A kind of review registered in tests/ alone (tests/support/tiny_kind.cpp) on the command
# line: its opening command, its events, recording, the list, the review shown and its report
# over a period, generated from its descriptor with nothing in app/ knowing it.
# Usage: tiny_kind_cli_test.sh CASEREVIEW_WITH_TINY EXAMPLES_DIR
set -euo pipefail
cr=$1 examples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/board.db"
run() { "$cr" --db "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
has() { local in; in=$(cat); grep -q "$@" <<<"$in"; }
export CASEREVIEW_CLOCK="2026-05-11T09:00:00Z"

run board create --id demo --name "Northbridge LSCB (fictional)" >/dev/null
run import "$examples/demo-board.json" >/dev/null

# Offered beside the built-in kinds, with its help from its descriptor.
run --help | has "open-tiny" || fail "no open-tiny command: $(run --help)"
run events --kind tiny | has "TinyConcluded" || fail "events --kind tiny: $(run events --kind tiny)"
run report --help | has "tiny-learning" || fail "no tiny-learning report: $(run report --help)"

ref=$(run open-tiny --by p-spoc --set lead=p-panel-chair)
[[ $ref =~ ^TNY-2026-001$ ]] || fail "tiny reference: $ref"
# Its own check refuses a second, and says why.
out=$(run open-tiny --by p-spoc --set lead=p-panel-chair 2>&1) && fail "a second tiny review was opened"
grep -q "there is a tiny learning review already" <<<"$out" || fail "second opening: $out"

run review list | has "^$ref	Open	" || fail "review list: $(run review list)"
run record "$ref" TinyConcluded --by p-board-chair --set date=2026-05-11 | has "stage Concluded" || fail "record"
run review show "$ref" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["stage"]=="Concluded" and [e["type"] for e in j["history"]]==["TinyOpened","TinyConcluded"], j' \
  || fail "review show --json: $(run review show "$ref" --json)"
run review list --all | has "^$ref	Concluded	" || fail "review list --all: $(run review list --all)"

run report tiny-learning | has "Tiny learning reviews opened: 1, concluded: 1" || fail "report: $(run report tiny-learning)"
run report tiny-learning --csv | has "^concluded,1" || fail "report --csv: $(run report tiny-learning --csv)"
run --json report tiny-learning --from 2026-04-01 --to 2026-04-30 | python3 -c 'import json,sys; j=json.load(sys.stdin); assert j["opened"]==0, j' \
  || fail "report for April"
echo "tiny kind on the command line: ok"
