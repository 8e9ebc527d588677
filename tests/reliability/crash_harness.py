#!/usr/bin/env python3
"""Crash safety: the server killed with SIGKILL at random moments under a stream of commands.

  crash_harness.py --casereview BIN --examples DIR [--seed N] [--kills 60] [--max-seconds 170]
                   [--server 'CMD with {cr} {db} {smtp_port}'] [--rate 20000] [--keep DIR]

A board is made from examples/demo-board.json; the SMTP sink (tests/support/smtp_sink.py)
listens on 127.0.0.1. Every process runs on one test clock (CASEREVIEW_CLOCK: 2026-01-05
onwards at --rate simulated seconds per real second), so reminders and escalations fall due
while the run lasts. Worker threads refer cases and notify deaths and record the events of
examples/scr_full_lifecycle.json and examples/cdop_unexpected_death.json on them, each with
the casereview command line; some of those commands are themselves killed mid-flight. The
server (by default `casereview serve` — the HTTP API on a free port, the scheduler and the
notifier delivering through the sink) is SIGKILLed at
random moments and restarted, at least --kills times within --max-seconds.

Then it checks, from `--json` outputs, `casereview verify` and the database read-only:
  - every acknowledged command is in its review's log, and the log holds nothing else than
    the commands that ran (a killed command is either wholly there or wholly absent);
  - no event is half-applied: each review's log is numbered 1..n with its read model at n,
    each fired timer has exactly one event and each timer event a fired timer, every notice
    comes from an event in the log; SQLite's integrity check passes;
  - every timer that fell due fired, exactly once;
  - every notice is delivered, its Message-ID received by the sink; a message received
    twice had a server kill between the two receipts (and the same Message-ID by
    construction of the check); no message is unknown to the outbox;
  - `casereview verify`: every review rebuilt from its log equals its stored state.
Prints the seed first and a summary line last; exits 1 (naming the property) on failure.
"""
import argparse
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (TIMER_EVENTS, Casereview, Failure, SmtpSink, check, integrity_ok, make_board, nhs_number,  # noqa: E402
                    read_db, test_clock, work_folder)

DEFAULT_SERVER = ("{cr} --db {db} serve --port 0 --smtp-host 127.0.0.1 --smtp-port {smtp_port} "
                  "--max-attempts 1000 --first-retry 1")
CHILD_FIELDS = {"subject_name", "subject_dob"}  # never sent: no child's details in a test's output


def plans(examples):
    """The command sequences a case follows: the example scenarios' steps that are meant to
    succeed, without the child's details."""
    def steps(name):
        scenario = json.load(open(os.path.join(examples, name)))
        out = []
        for step in scenario["steps"]:
            if step.get("expect") == "refused":
                continue
            for opener in ("refer", "notify"):
                if opener in step:
                    fields = {k: v for k, v in step[opener].items() if k not in CHILD_FIELDS}
                    out.append((opener, step["by"], fields))
            if "event" in step:
                out.append((step["event"], step["by"], step.get("fields", {})))
        return out
    return {"scr": steps("scr_full_lifecycle.json"), "cdr": steps("cdop_unexpected_death.json")}


class Case:
    def __init__(self, kind, steps):
        self.kind, self.steps = kind, steps
        self.ref = None
        self.next = 0
        self.applied = []       # event types in the order they were applied (acknowledged or found)
        self.acknowledged = []  # (index into applied, event type): what the user was told succeeded
        self.busy = False
        self.ready_at = 0.0  # real time: cases pause between steps, so deadlines can pass
        # A command killed mid-commit and not found: SQLite may have written its commit to the
        # WAL file but not to the shared WAL index when the kill landed. It is then invisible
        # until the next recovery of the index (the server restarted with no other connection
        # open) makes it visible, unless a later write overwrote it first. Either way it is
        # whole or absent; this is the event that may still appear, at the end of the log.
        self.limbo = None


class Harness:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.lock = threading.Lock()
        self.open_lock = threading.Lock()  # refer/notify one at a time: a killed one is found by listing
        self.stats = dict(acknowledged=0, refused=0, busy=0, errors=0, cli_kills=0, cli_kills_landed=0,
                          found_applied=0, found_absent=0, found_late=0, server_kills=0)
        self.kill_times = []  # real times of server kills
        self.stop_stream = threading.Event()
        self.failures = []
        self.serial = 0
        # Killed refer/notify commands not found: like Case.limbo, each may become visible later
        # (a review with its opening event alone), which nobody then drives.
        self.lost_openings = 0

    # -- the stream of commands -------------------------------------------------------------
    def command(self, case, step):
        name, by, fields = step
        if name == "refer":
            return ["refer", "--by", by, "--json", json.dumps(fields)]
        if name == "notify":
            with self.lock:
                self.serial += 1
                fields = dict(fields, nhs_number=nhs_number(self.serial))
            return ["notify", "--by", by, "--json", json.dumps(fields)]
        return ["record", case.ref, name, "--by", by, "--json", json.dumps(fields)]

    def run_cli(self, argv, rng):
        """Runs one command; sometimes SIGKILLs it mid-flight. Returns (returncode or None when
        killed, stdout, stderr)."""
        proc = subprocess.Popen(self.cr.argv(*argv), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        if rng.random() < self.args.cli_kill_chance:
            time.sleep(rng.uniform(0, 0.2))
            landed = proc.poll() is None
            if landed:
                proc.send_signal(signal.SIGKILL)
            out, err = proc.communicate()
            with self.lock:
                self.stats["cli_kills"] += 1
                self.stats["cli_kills_landed"] += landed
            if landed:
                return None, out, err
            return proc.returncode, out, err
        out, err = proc.communicate(timeout=120)
        return proc.returncode, out, err

    def user_events(self, ref):
        history = self.cr.json("review", "show", ref)["history"]
        return [h["type"] for h in history if h["type"] not in TIMER_EVENTS]

    def refs(self):
        return {r["ref"] for r in self.cr.json("review", "list", "--all")}

    def step_case(self, case, rng):
        step = case.steps[case.next]
        name = step[0]
        opening = name in ("refer", "notify")
        if opening:
            self.open_lock.acquire()
        try:
            before = self.refs() if opening else None
            count_before = None if opening else len(self.user_events(case.ref))
            if not opening and case.limbo is not None:
                late = count_before == len(case.applied) + 1
                if late:  # the killed command's commit became visible: it was applied
                    case.applied.append(case.limbo)
                    case.next += 1
                    with self.lock:
                        self.stats["found_late"] += 1
                case.limbo = None
                if late:
                    return
            rc, out, err = self.run_cli(self.command(case, step), rng)
            if rc == 0:
                if opening:
                    case.ref = out.strip().splitlines()[-1]
                    check(case.ref in self.refs() - before, f"{name} acknowledged {case.ref} but it is not listed")
                    name = "CaseReferred" if step[0] == "refer" else "ChildDeathNotified"
                case.acknowledged.append((len(case.applied), name))
                case.applied.append(name)
                case.next += 1
                with self.lock:
                    self.stats["acknowledged"] += 1
            elif rc is None:
                # Killed mid-flight: whatever it did is wholly there or wholly absent. Find out
                # as a user would, by looking.
                if opening:
                    new = self.refs() - before
                    check(len(new) <= 1, f"a killed {name} opened {len(new)} reviews")
                    found = bool(new)
                    if found:
                        case.ref = new.pop()
                        name = "CaseReferred" if step[0] == "refer" else "ChildDeathNotified"
                else:
                    count_after = len(self.user_events(case.ref))
                    check(count_after - count_before in (0, 1),
                          f"a killed {name} on {case.ref} left {count_after - count_before} events")
                    found = count_after == count_before + 1
                with self.lock:
                    self.stats["found_applied" if found else "found_absent"] += 1
                if found:
                    case.applied.append(name)
                    case.next += 1
                elif opening:
                    with self.lock:
                        self.lost_openings += 1
                else:
                    case.limbo = name
            elif rc == 3:
                # Refused: the process does not allow it now (a scenario step the test clock's
                # timing makes invalid). Nothing was written; move on.
                with self.lock:
                    self.stats["refused"] += 1
                case.next += 1
            elif rc == 4 and "busy" in err:
                with self.lock:
                    self.stats["busy"] += 1  # the lock's bounded wait ran out: said so; retried
            else:
                with self.lock:
                    self.stats["errors"] += 1
                raise Failure(f"{' '.join(self.command(case, step)[:3])} exited {rc}: {err.strip()}")
        finally:
            if opening:
                self.open_lock.release()

    def worker(self, seed):
        rng = random.Random(seed)
        try:
            while not self.stop_stream.is_set():
                with self.lock:
                    now = time.time()
                    live = [c for c in self.cases if c.next < len(c.steps)]
                    idle = [c for c in live if not c.busy and c.ready_at <= now]
                    case = None
                    if idle:
                        case = rng.choice(idle)
                    elif len(live) < self.args.open_cases:
                        kind = rng.choice(["scr", "cdr"])
                        case = Case(kind, self.plans[kind])
                        self.cases.append(case)
                    if case:
                        case.busy = True
                if case is None:
                    time.sleep(0.05)
                    continue
                try:
                    self.step_case(case, rng)
                finally:
                    case.ready_at = time.time() + rng.uniform(0, self.args.pause)
                    case.busy = False
        except Exception as e:  # noqa: BLE001 - reported as the run's failure
            self.failures.append(f"worker: {e}")
            self.stop_stream.set()

    # -- the server -------------------------------------------------------------------------
    def start_server(self):
        argv = shlex.split(self.args.server.format(cr=self.args.casereview, db=self.db, smtp_port=self.sink.port))
        return subprocess.Popen(argv, env=self.env, stdout=self.server_log, stderr=self.server_log,
                                stdin=subprocess.DEVNULL)

    def kill_loop(self, started):
        server = self.start_server()
        while self.stats["server_kills"] < self.args.kills and not self.stop_stream.is_set():
            if time.time() - started > self.args.max_seconds:
                break
            time.sleep(self.rng.choice([self.rng.uniform(0, 0.3), self.rng.uniform(0.3, 2.5)]))
            if server.poll() is not None:
                raise Failure(f"the server exited by itself ({server.returncode}); see {self.server_log.name}")
            server.send_signal(signal.SIGKILL)
            server.wait()
            self.kill_times.append(time.time())
            self.stats["server_kills"] += 1
            server = self.start_server()
        return server

    # -- the run ----------------------------------------------------------------------------
    def run(self):
        args = self.args
        folder, cleanup = work_folder(args.keep)
        started = time.time()
        try:
            self.db = os.path.join(folder, "board.db")
            clock_value, self.sim_now = test_clock(start=args.start, rate=args.rate)
            self.env = dict(os.environ, CASEREVIEW_CLOCK=clock_value)
            self.cr = Casereview(args.casereview, self.db, self.env)
            self.sink = SmtpSink(os.path.join(folder, "sink"))
            self.server_log = open(os.path.join(folder, "server.log"), "a")
            make_board(self.cr, args.examples)
            self.plans = plans(args.examples)
            self.cases = []
            threads = [threading.Thread(target=self.worker, args=(self.rng.random(),)) for _ in range(args.workers)]
            for t in threads:
                t.start()
            try:
                server = self.kill_loop(started)
            finally:
                self.stop_stream.set()
                for t in threads:
                    t.join()
            if self.failures:
                raise Failure("; ".join(self.failures))
            kill_phase = time.time() - started
            check(self.stats["server_kills"] >= args.kills,
                  f"only {self.stats['server_kills']} server kills in {args.max_seconds} s ({args.kills} were asked)")
            # A last stretch without kills: the server catches up on timers and the outbox.
            time.sleep(args.settle)
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            stopped_sim = self.sim_now()
            summary = self.check_all(stopped_sim)
            elapsed = time.time() - started
            print(f"crash harness: seed {args.seed}: {self.stats['server_kills']} server kills and "
                  f"{self.stats['cli_kills_landed']} CLI kills mid-command in {kill_phase:.0f} s "
                  f"({elapsed:.0f} s in all); {self.stats['acknowledged']} commands acknowledged, "
                  f"{self.stats['found_applied']}+{self.stats['found_absent']} killed commands found applied+absent "
                  f"({self.stats['found_late']} of those absent seen later, when SQLite recovered its WAL index), "
                  f"{self.stats['refused']} refused, {self.stats['busy']} busy; {summary}: ok")
            return 0
        finally:
            self.stop_stream.set()
            try:
                self.sink.stop()
            except Exception:  # noqa: BLE001
                pass
            if args.keep:
                print(f"crash harness: files kept in {folder}")
            cleanup()

    # -- the checks -------------------------------------------------------------------------
    def check_all(self, stopped_sim):
        cr = self.cr
        check(integrity_ok(self.db), "SQLite's integrity check failed")
        # replay == state
        v = cr.run("verify", check_ok=False)
        check(v.returncode == 0 and "every one matches its log" in v.stdout,
              f"casereview verify failed ({v.returncode}): {v.stdout} {v.stderr}")

        # Every acknowledged command is in the log, in order, and the log holds only the
        # commands that ran (acknowledged, or killed and found applied).
        tracked = {}
        for case in self.cases:
            if case.ref is None:
                continue
            logged = self.user_events(case.ref)
            if case.limbo is not None and logged == case.applied + [case.limbo]:
                case.applied.append(case.limbo)  # became visible after the last step (see Case.limbo)
                self.stats["found_late"] += 1
            check(logged == case.applied,
                  f"{case.ref}: the log's commands {logged} differ from those that ran {case.applied}")
            for index, name in case.acknowledged:
                check(logged[index] == name, f"{case.ref}: acknowledged {name} is not in the log")
            tracked[case.ref] = case
        # The SCRs a child death review opened (ReferredForScr) are the only others.
        referrals = sum(c.applied.count("ReferredForScr") for c in self.cases)
        others = self.refs() - set(tracked)
        late = len(others) - referrals  # killed openings that became visible after they were looked for
        check(0 <= late <= self.lost_openings,
              f"{len(others)} reviews nobody opened directly, {referrals} referrals for an SCR, "
              f"{self.lost_openings} killed openings not found")
        for ref in others:  # each whole: its opening event and nothing a user did after it
            opened = self.user_events(ref)
            check(opened in (["CaseReferred"], ["ChildDeathNotified"]), f"{ref}, opened by nobody we know, holds {opened}")
        self.stats["found_late"] += late

        with read_db(self.db) as db:
            # No event half-applied: logs numbered 1..n, read model at n.
            for ref, last_seq in db.execute("SELECT ref, last_seq FROM reviews"):
                seqs = [s for (s,) in db.execute("SELECT seq FROM review_events WHERE review_ref = ? ORDER BY seq", (ref,))]
                check(seqs == list(range(1, len(seqs) + 1)) and last_seq == len(seqs),
                      f"{ref}: log numbered {seqs[:3]}..{seqs[-3:]} with read model at {last_seq}")
            # Every command that changed a review has its audit entry, written in the same
            # transaction: a kill lands before both or after both. An SCR opened by a child death
            # review's ReferredForScr has no entry of its own for its opening (the referral's
            # entry names the child death review).
            for ref, in db.execute("SELECT ref FROM reviews"):
                rows = db.execute("SELECT type, payload FROM review_events WHERE review_ref = ? ORDER BY seq",
                                  (ref,)).fetchall()
                commands = [t for t, _ in rows if t not in TIMER_EVENTS]
                linked = rows and rows[0][0] == "CaseReferred" and json.loads(rows[0][1]).get("linked_review")
                audited = db.execute(
                    "SELECT COUNT(*) FROM audit_log WHERE target = ? AND outcome = 'ok'"
                    " AND action IN ('review.refer', 'death.notify', 'review.record')", (ref,)).fetchone()[0]
                check(audited == len(commands) - (1 if linked else 0),
                      f"{ref}: {len(commands)} commands in the log but {audited} audit entries for them")
            # Timers: each fired once, as one event carrying its fields; none due left unfired.
            # (A timer's event is recorded with the timer's payload: pair them by review and
            # payload, a multiset on each side.)
            def key(ref, payload):
                return ref, json.dumps(json.loads(payload), sort_keys=True)
            fired = {}
            for ref, payload in db.execute("SELECT review_ref, payload FROM timers WHERE status = 'fired'"):
                fired[key(ref, payload)] = fired.get(key(ref, payload), 0) + 1
            logged = {}
            for ref, payload in db.execute(
                    "SELECT review_ref, payload FROM review_events WHERE type IN (%s)" %
                    ",".join("?" * len(TIMER_EVENTS)), tuple(TIMER_EVENTS)):
                logged[key(ref, payload)] = logged.get(key(ref, payload), 0) + 1
            wrong = {k: (fired.get(k, 0), logged.get(k, 0)) for k in set(fired) | set(logged)
                     if fired.get(k, 0) != logged.get(k, 0)}
            check(not wrong, "timers fired and their events differ (fired, events): " +
                  "; ".join(f"{r} {p}: {n}" for (r, p), n in list(wrong.items())[:3]))
            timers_fired = sum(fired.values())
            # The server stopped at stopped_sim; allow what fell due in its last real second.
            horizon = stopped_sim - int(self.args.rate)
            late = db.execute("SELECT id, due FROM timers WHERE status = 'pending' AND due <= ?", (horizon,)).fetchall()
            check(not late, f"{len(late)} timers fell due and did not fire: {late[:3]}")
            # Notices come from events in the log ("REF#SEQ.N").
            notices = db.execute("SELECT id, review_ref FROM outbox").fetchall()
            for nid, ref in notices:
                if ref is None:
                    continue  # a board digest
                seq = int(nid.split("#", 1)[1].split(".", 1)[0])
                check(db.execute("SELECT 1 FROM review_events WHERE review_ref = ? AND seq = ?", (ref, seq)).fetchone(),
                      f"notice {nid} comes from no event in the log")

        # Deliver what the last seconds queued (as the next server start would), then every
        # notice is sent and its Message-ID reached the sink.
        send = cr.run("outbox", "send", "--smtp-host", "127.0.0.1", "--smtp-port", str(self.sink.port),
                      "--max-attempts", "1000", check_ok=False)
        check(send.returncode == 0, f"the final outbox send failed: {send.stderr}")
        outbox = cr.json("outbox")
        unsent = [n["id"] for n in outbox if n["status"] != "sent"]
        check(not unsent, f"{len(unsent)} notices not delivered: {unsent[:5]}")
        received = {}
        for m in self.sink.messages():
            mid = m["headers"].get("Message-ID")
            received.setdefault(mid, []).append(m["mtime"])
        expected = {}
        for n in outbox:
            local = "".join(c if c.isalnum() or c in ".-" else "_%02X" % ord(c) for c in n["id"])
            expected[n["id"]] = local
        by_local = {mid[1:].split("@", 1)[0]: mid for mid in received if mid}
        for nid, local in expected.items():
            check(local in by_local, f"notice {nid} was never received (no Message-ID <{local}@...>)")
        unknown = set(by_local) - set(expected.values())
        check(not unknown, f"messages the outbox does not know: {sorted(unknown)[:3]}")
        duplicates = 0
        for mid, times in received.items():
            times.sort()
            for first, again in zip(times, times[1:]):
                duplicates += 1
                check(any(first - 1 <= k <= again + 1 for k in self.kill_times),
                      f"{mid} was delivered twice with no server kill between ({first:.3f}, {again:.3f})")
        return (f"{len(tracked) + len(others)} reviews, {timers_fired} timers fired once each, "
                f"{len(outbox)} notices delivered ({duplicates} redelivered after a kill, same Message-ID), "
                f"verify and integrity check passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casereview", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--kills", type=int, default=60, help="server kills to make within --max-seconds, or fail")
    parser.add_argument("--max-seconds", type=float, default=170, help="bound on the kill phase")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="the server's command line: {cr} {db} {smtp_port}")
    parser.add_argument("--start", default="2026-01-12T09:00:00Z", help="the test clock's first instant")
    parser.add_argument("--rate", type=float, default=150000, help="simulated seconds per real second")
    parser.add_argument("--workers", type=int, default=3, help="threads sending commands")
    parser.add_argument("--open-cases", type=int, default=16, help="cases in progress at once")
    parser.add_argument("--pause", type=float, default=3, help="most real seconds a case waits between steps")
    parser.add_argument("--cli-kill-chance", type=float, default=0.1)
    parser.add_argument("--settle", type=float, default=3, help="seconds the server runs unkilled at the end")
    parser.add_argument("--keep", help="work in this folder and keep it")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1 << 31)
    print(f"crash harness: seed {args.seed} (rerun with --seed {args.seed})", flush=True)
    try:
        return Harness(args).run()
    except Failure as e:
        print(f"crash harness: seed {args.seed}: FAILED: {e}", flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
