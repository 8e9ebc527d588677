#!/usr/bin/env python3
"""Concurrency: many casereview processes writing one SQLite file while the server runs.

  concurrency.py --casereview BIN --examples DIR [--writers 8] [--rounds 12] [--keep DIR]

`scheduler serve` runs on a fast test clock (timers fall due, notices are delivered to the
mail drop) while --writers processes at a time record events on their own reviews, and some
refer new cases, --rounds each. Every write either succeeds or says the database was busy
after its bounded wait (exit 4), and a busy write is retried; two writers share each review, so their commits
race (the regression test of Engine::Record retrying a lost race instead of failing). Then: every acknowledged event
is in its review's log, nothing else is; `casereview verify` passes; SQLite's integrity check
is ok. A second part holds the lock from Python past casereview's timeout, checks the loser
waited about 5 s and said so.
"""
import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import TIMER_EVENTS, Casereview, check, integrity_ok, make_board, test_clock, work_folder  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casereview", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--keep")
    args = parser.parse_args()
    folder, cleanup = work_folder(args.keep)
    started = time.time()
    serve = None
    try:
        clock, _ = test_clock(start="2026-01-12T09:00:00Z", rate=50000)
        env = dict(os.environ, CASEREVIEW_CLOCK=clock)
        cr = Casereview(args.casereview, os.path.join(folder, "board.db"), env)
        make_board(cr, args.examples)
        refs = []
        for _ in range((args.writers + 1) // 2):
            refs.append(cr.run("refer", "--by", "p-spoc", "--set", "referring_agency=police", "--set", "incident=death",
                               "--set", "incident_date=2026-01-02", "--set", "abuse_or_neglect=suspected",
                               "--set", "agencies_involved=csc,police").stdout.strip())
        log = open(os.path.join(folder, "serve.log"), "w")
        serve = subprocess.Popen(cr.argv("scheduler", "serve"), env=env, stdout=log, stderr=log)

        acknowledged = {ref: 0 for ref in refs}  # PanelMeetingConvened recorded on each
        referred = []
        stats = {"busy": 0, "writes": 0}
        errors = []
        lock = threading.Lock()

        def writer(i):
            # Two writers per review, so commits race on one review's log (and with the
            # scheduler's timers on it): the loser re-reads and succeeds, never fails.
            ref = refs[i // 2]
            for r in range(args.rounds):
                while True:
                    if r % 4 == 3:  # now and then, a new case: the reference counter is shared
                        argv = ["refer", "--by", "p-spoc", "--set", "referring_agency=police", "--set", "incident=death",
                                "--set", "incident_date=2026-01-02", "--set", "abuse_or_neglect=suspected",
                                "--set", "agencies_involved=csc,police"]
                    else:
                        argv = ["record", ref, "PanelMeetingConvened", "--by", "p-spoc",
                                "--set", f"date=2026-02-{1 + r:02d}", "--set", "kind=extraordinary"]
                    p = cr.run(*argv, check_ok=False)
                    if p.returncode == 4 and "is busy" in p.stderr:
                        with lock:
                            stats["busy"] += 1
                        continue
                    if p.returncode != 0:
                        errors.append(f"{argv[0]} exited {p.returncode}: {p.stderr.strip()}")
                        return
                    with lock:
                        stats["writes"] += 1
                        if argv[0] == "refer":
                            referred.append(p.stdout.strip())
                        else:
                            acknowledged[ref] += 1
                    break

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(not errors, "; ".join(errors[:3]))
        check(serve.poll() is None, "scheduler serve died while the CLI wrote")
        serve.send_signal(signal.SIGTERM)
        check(serve.wait(timeout=30) == 0, "scheduler serve did not stop cleanly")
        serve = None

        check(len(set(referred)) == len(referred), f"two referrals got the same reference: {sorted(referred)}")
        listed = {r["ref"] for r in cr.json("review", "list", "--all")}
        check(set(referred) <= listed, f"acknowledged referrals missing: {set(referred) - listed}")
        for ref, n in acknowledged.items():
            events = [h["type"] for h in cr.json("review", "show", ref)["history"] if h["type"] not in TIMER_EVENTS]
            check(events.count("PanelMeetingConvened") == n,
                  f"{ref}: {n} meetings acknowledged, {events.count('PanelMeetingConvened')} in the log")
        v = cr.run("verify", check_ok=False)
        check(v.returncode == 0, f"verify: {v.stdout} {v.stderr}")
        check(integrity_ok(cr.db), "PRAGMA integrity_check is not ok")

        # The loser of a lock waits its bounded timeout, then says so.
        holder = sqlite3.connect(cr.db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        t0 = time.time()
        p = cr.run("record", refs[0], "PanelMeetingConvened", "--by", "p-spoc", "--set", "date=2026-03-02",
                   "--set", "kind=extraordinary", check_ok=False)
        waited = time.time() - t0
        holder.execute("ROLLBACK")
        holder.close()
        check(p.returncode == 4 and "is busy: another process held it for longer than the 5000 ms timeout" in p.stderr,
              f"the loser of the lock: exit {p.returncode}: {p.stderr.strip()}")
        check(4.5 <= waited <= 20, f"the loser waited {waited:.1f} s (the bound is 5 s)")

        print(f"concurrency: {args.writers} writers x {args.rounds} rounds beside scheduler serve: "
              f"{stats['writes']} writes acknowledged and all in the log, {stats['busy']} busy (retried), "
              f"verify and integrity check ok; the lock's loser waited {waited:.1f} s and said busy; "
              f"{time.time() - started:.0f} s: ok")
        return 0
    except Exception as e:  # noqa: BLE001
        print(f"concurrency: FAILED: {e}")
        return 1
    finally:
        if serve is not None:
            serve.send_signal(signal.SIGKILL)
            serve.wait()
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
