#!/usr/bin/env python3
"""Faults: each gives a clear error, loses nothing already committed, and recovers.

  faults.py --casereview BIN --examples DIR [--only NAME] [--keep DIR]

  smtp-down   the mail server unreachable for a long (simulated) period under
              `scheduler serve`: the log says so, no notice is lost or marked sent, and
              once the server is back every notice is delivered (those that ran out of
              attempts after `outbox retry --all`, as docs/notices.md says).
  disk-full   the database on a small tmpfs filled up: a write says the disk is full and
              records nothing; earlier events are intact; once space is freed it succeeds.
  read-only   the database's file system remounted read-only: a write says the database is
              read-only; reads work or fail clearly; after remounting read-write it succeeds.
  locked      another process holds BEGIN EXCLUSIVE: casereview waits its bounded busy
              timeout, then says the database is busy; once released it succeeds.
  corrupt     the file truncated, and its header overwritten: every command says the
              database is damaged (never a crash, never "no reviews"); restoring the
              backup taken before brings every committed event back.

Needs root, to mount a tmpfs (disk-full, read-only); if mounting is not permitted it fails
saying so rather than passing. Prints one line per fault and a summary line.
"""
import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Casereview, Failure, SmtpSink, check, make_board, read_db, test_clock, work_folder  # noqa: E402


def committed(db_path):
    """Every event in the log: what a fault must not lose."""
    with read_db(db_path) as db:
        return db.execute("SELECT review_ref, seq, type, payload FROM review_events ORDER BY 1, 2").fetchall()


def some_reviews(cr):
    """Two referrals and a few events: something committed to lose."""
    refs = []
    for incident in ("death", "serious-injury"):
        p = cr.run("refer", "--by", "p-spoc", "--set", "referring_agency=police", "--set", f"incident={incident}",
                   "--set", "incident_date=2026-01-02", "--set", "abuse_or_neglect=suspected",
                   "--set", "agencies_involved=csc,police")
        refs.append(p.stdout.strip())
    cr.run("record", refs[0], "PanelMeetingHeld", "--by", "p-spoc", "--set", "date=2026-01-12",
           "--set", "attendees=p-panel-chair,p-csc-lead,p-health-lead,p-police-lead,p-schools-lead")
    return refs


def meeting(cr, ref, date, check_ok=False):
    return cr.run("record", ref, "PanelMeetingConvened", "--by", "p-spoc", "--set", f"date={date}",
                  "--set", "kind=extraordinary", check_ok=check_ok)


def expect_error(p, code, text, what):
    check(p.returncode == code, f"{what}: expected exit {code}, got {p.returncode}: {p.stderr.strip()}")
    check(text in p.stderr, f"{what}: expected '{text}' in: {p.stderr.strip()}")


def verified(cr):
    v = cr.run("verify", check_ok=False)
    check(v.returncode == 0 and "every one matches its log" in v.stdout, f"verify: {v.stdout} {v.stderr}")


class Mount:
    """A small tmpfs of our own (root only); unmounted on exit."""

    def __init__(self, path, size):
        self.path = path
        os.makedirs(path, exist_ok=True)
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path], capture_output=True, text=True)
        if p.returncode != 0:
            raise Failure(f"cannot mount a tmpfs at {path} ({p.stderr.strip()}): the disk-full and read-only faults "
                          "need root (or CAP_SYS_ADMIN); they were NOT tested")

    def remount(self, mode):
        subprocess.run(["mount", "-o", f"remount,{mode}", self.path], check=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        subprocess.run(["umount", "-l", self.path], capture_output=True)


def setup(folder, binary, examples, env, name="board.db"):
    cr = Casereview(binary, os.path.join(folder, name), env)
    make_board(cr, examples)
    return cr, some_reviews(cr)


# -- the faults -------------------------------------------------------------------------------
def smtp_down(folder, args):
    rate = 20000  # 8 real seconds: about 44 simulated hours down
    clock, _ = test_clock(start="2026-01-12T09:00:00Z", rate=rate)
    env = dict(os.environ, CASEREVIEW_CLOCK=clock)
    sink_dir = os.path.join(folder, "sink")
    sink = SmtpSink(sink_dir)  # to learn a free port; stopped at once: the server is "down"
    port = sink.port
    sink.stop()
    cr, refs = setup(folder, args.casereview, args.examples, env)
    before = cr.json("outbox")
    check(len(before) >= 2, f"expected notices to deliver, got {len(before)}")
    log_path = os.path.join(folder, "serve.log")
    log = open(log_path, "w")
    serve = subprocess.Popen(cr.argv("scheduler", "serve", "--smtp-host", "127.0.0.1", "--smtp-port", str(port)),
                             env=env, stdout=log, stderr=log)
    try:
        time.sleep(8)
        check(serve.poll() is None, f"scheduler serve exited while the mail server was down: {open(log_path).read()}")
        text = open(log_path).read()
        check(f"mail server smtp://127.0.0.1:{port} unreachable" in text,
              f"no clear error in the server's log while the mail server was down: {text[-500:]}")
        during = cr.json("outbox")
        check({n["id"] for n in during} >= {n["id"] for n in before}, "a notice disappeared while the mail server was down")
        check(all(n["status"] in ("pending", "failed") for n in during), "a notice was marked sent with no mail server")
        failed = [n for n in during if n["status"] == "failed"]
        check(all("unreachable" in n["last_error"] for n in failed),
              f"a failed notice without the reason: {failed[:1]}")
        # The mail server comes back on the same port.
        sink = SmtpSink(sink_dir, port=port)
        if failed:
            cr.run("outbox", "retry", "--all")
        deadline = time.time() + 30
        while time.time() < deadline:
            now = cr.json("outbox")
            if all(n["status"] == "sent" for n in now):
                break
            time.sleep(0.2)
        unsent = [n["id"] for n in cr.json("outbox") if n["status"] != "sent"]
        check(not unsent, f"not delivered after the mail server came back: {unsent}")
        ids = {m["headers"]["Message-ID"] for m in sink.messages()}
        check(len(ids) == len(cr.json("outbox")), f"{len(ids)} distinct messages for {len(cr.json('outbox'))} notices")
        verified(cr)
        return f"{len(during)} notices kept ({len(failed)} ran out of attempts) over ~{8 * rate / 3600:.0f} simulated hours down; all delivered after"
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        sink.stop()


def disk_full(folder, args):
    with Mount(os.path.join(folder, "small"), "3m") as m:
        cr, refs = setup(m.path, args.casereview, args.examples, os.environ)
        before = committed(cr.db)
        filler = os.path.join(m.path, "filler")
        with open(filler, "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
            except OSError:
                pass
        # Events until one fails: the WAL may have a little room left.
        failure = None
        for i in range(200):
            p = meeting(cr, refs[1], f"2026-02-{1 + i % 27:02d}")
            if p.returncode != 0:
                failure = p
                break
        check(failure is not None, "200 writes succeeded on a full disk")
        expect_error(failure, 4, "full", "a write on a full disk")
        check("nothing was recorded" in failure.stderr, f"a full disk's error does not say nothing was recorded: {failure.stderr}")
        os.remove(filler)
        after = committed(cr.db)
        check(after[:len(before)] == before, "events committed before the disk filled were lost")
        meeting(cr, refs[1], "2026-03-02", check_ok=True)
        verified(cr)
        return f"a write said '{failure.stderr.strip()[:90]}...'; {len(after)} events intact; writes again once space was freed"


def read_only(folder, args):
    with Mount(os.path.join(folder, "ro"), "8m") as m:
        cr, refs = setup(m.path, args.casereview, args.examples, os.environ)
        before = committed(cr.db)
        m.remount("ro")
        p = meeting(cr, refs[1], "2026-02-02")
        check(p.returncode != 0, "a write succeeded on a read-only file system")
        check("read" in p.stderr.lower() and "only" in p.stderr.lower(),
              f"a read-only database's error does not say so: {p.stderr.strip()}")
        check(p.returncode == 4, f"a read-only database: expected exit 4, got {p.returncode}")
        shown = cr.run("review", "show", refs[0], check_ok=False)
        reads = "reads still work" if shown.returncode == 0 else f"reads say '{shown.stderr.strip()[:80]}'"
        check(shown.returncode in (0, 4), f"a read on a read-only file system exited {shown.returncode}: {shown.stderr}")
        m.remount("rw")
        check(committed(cr.db) == before, "events lost while read-only")
        meeting(cr, refs[1], "2026-02-02", check_ok=True)
        verified(cr)
        return f"a write said '{p.stderr.strip()[:90]}'; {reads}; writes again once read-write"


def locked(folder, args):
    cr, refs = setup(folder, args.casereview, args.examples, os.environ)
    before = committed(cr.db)
    holder = sqlite3.connect(cr.db, timeout=1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.time()
        p = meeting(cr, refs[1], "2026-02-02")
        waited = time.time() - started
        expect_error(p, 4, "is busy: another process held it for longer than the 5000 ms timeout", "a write while locked")
        check(4.5 <= waited <= 20, f"casereview waited {waited:.1f} s for the lock (the bound is 5 s)")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    check(committed(cr.db) == before, "events lost while locked")
    # Released during the wait: the command waits, then succeeds.
    holder = sqlite3.connect(cr.db, timeout=1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    proc = subprocess.Popen(cr.argv("record", refs[1], "PanelMeetingConvened", "--by", "p-spoc", "--set", "date=2026-02-03",
                                    "--set", "kind=extraordinary"), env=cr.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    holder.execute("ROLLBACK")
    holder.close()
    out, err = proc.communicate(timeout=30)
    check(proc.returncode == 0, f"a write that waited for a released lock failed: {err}")
    verified(cr)
    return f"waited {waited:.1f} s then said busy (exit 4); a lock released within the wait lets the write through"


def corrupt(folder, args):
    cr, refs = setup(folder, args.casereview, args.examples, os.environ)
    backup = os.path.join(folder, "backup.db")
    cr.run("backup", backup)
    before = committed(cr.db)
    pristine = open(cr.db, "rb").read()
    results = []
    for name, damage in (("truncated", lambda b: b[:len(b) // 3]),
                         ("header overwritten", lambda b: b"\xff" * 100 + b[100:])):
        with open(cr.db, "wb") as f:
            f.write(damage(pristine))
        for stray in (cr.db + "-wal", cr.db + "-shm"):
            if os.path.exists(stray):
                os.remove(stray)
        for command in (("review", "list"), ("verify",), ("record", refs[1], "PanelMeetingConvened", "--by", "p-spoc",
                                                         "--set", "date=2026-02-02", "--set", "kind=extraordinary")):
            p = cr.run(*command, check_ok=False)
            check(p.returncode == 4, f"{name}: {' '.join(command[:2])} exited {p.returncode} (expected 4): "
                                     f"{p.stdout.strip()[:200]} {p.stderr.strip()[:200]}")
            low = p.stderr.lower()
            check(any(w in low for w in ("malformed", "not a casereview database", "corrupt", "damaged")),
                  f"{name}: {' '.join(command[:2])} did not say the database is damaged: {p.stderr.strip()}")
            check("Signal" not in p.stderr and p.returncode > 0, f"{name}: crashed")
        results.append(f"{name}: '{p.stderr.strip()[:80]}'")
        r = cr.run("restore", backup, "--replace", check_ok=False)
        check(r.returncode == 0, f"{name}: restore from the backup failed: {r.stderr}")
        check(committed(cr.db) == before, f"{name}: events lost after restoring the backup")
        verified(cr)
    return "; ".join(results) + "; restore --replace from the backup brought every event back"


FAULTS = {"smtp-down": smtp_down, "disk-full": disk_full, "read-only": read_only, "locked": locked, "corrupt": corrupt}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--casereview", required=True)
    parser.add_argument("--examples", required=True)
    parser.add_argument("--only", choices=sorted(FAULTS))
    parser.add_argument("--keep")
    args = parser.parse_args()
    folder, cleanup = work_folder(args.keep)
    failed = []
    started = time.time()
    try:
        for name, test in FAULTS.items():
            if args.only and name != args.only:
                continue
            sub = os.path.join(folder, name)
            os.makedirs(sub, exist_ok=True)
            try:
                print(f"fault {name}: ok: {test(sub, args)}", flush=True)
            except Failure as e:
                failed.append(name)
                print(f"fault {name}: FAILED: {e}", flush=True)
    finally:
        cleanup()
    ran = 1 if args.only else len(FAULTS)
    print(f"faults: {ran - len(failed)} passed, {len(failed)} failed in {time.time() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
