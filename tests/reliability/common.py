"""Shared plumbing of the reliability tests (tests/reliability/*.py): a work folder, the
casereview command line run with a test clock, the SMTP sink, and reading the database.

Python 3 standard library only, plus tests/support/smtp_sink.py (Debian's python3-aiosmtpd)
started as a child process.
"""
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SMTP_SINK = os.path.join(HERE, "..", "support", "smtp_sink.py")
# Events the scheduler records when a timer fires; every other event came from a command.
TIMER_EVENTS = {"DeadlineReminderDue", "DeadlineEscalated"}


class Failure(Exception):
    """A property the test checks does not hold."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def test_clock(start="2026-01-05T09:00:00Z", rate=1.0, anchor=None):
    """A CASEREVIEW_CLOCK value every process of the run agrees on, and a function giving
    the simulated now (Unix seconds) the same way casereview computes it."""
    anchor = time.time() if anchor is None else anchor
    start_unix = int(time.mktime(time.strptime(start, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)
    value = f"{start}*{rate:g}@{anchor:.6f}"

    def now():
        return start_unix + int((time.time() - anchor) * rate)

    return value, now


class Casereview:
    """Runs `casereview --db DB ...` with an environment (the test clock)."""

    def __init__(self, binary, db, env):
        self.binary, self.db, self.env = binary, db, env

    def argv(self, *args):
        return [self.binary, "--db", self.db, *args]

    def run(self, *args, timeout=60, check_ok=True):
        p = subprocess.run(self.argv(*args), env=self.env, capture_output=True, text=True, timeout=timeout)
        if check_ok and p.returncode != 0:
            raise Failure(f"casereview {' '.join(args[:3])} exited {p.returncode}: {p.stderr.strip()}")
        return p

    def json(self, *args, timeout=60):
        return json.loads(self.run("--json", *args, timeout=timeout).stdout)


class SmtpSink:
    """tests/support/smtp_sink.py on 127.0.0.1: every accepted message as DIR/NNNN.json."""

    def __init__(self, folder, port=0):
        self.folder = folder
        self.dir = os.path.join(folder, "messages")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        self.port = port
        self.start()

    def start(self):
        ready = os.path.join(self.folder, "ready")
        if os.path.exists(ready):
            os.remove(ready)
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        log = open(os.path.join(self.folder, "sink.log"), "a")
        self.proc = subprocess.Popen([python, SMTP_SINK, "--dir", self.dir, "--port", str(self.port), "--ready", ready],
                                     stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 15
        while time.time() < deadline:
            if os.path.exists(ready):
                self.port = int(open(ready).read())
                return
            if self.proc.poll() is not None:
                raise Failure("the SMTP sink exited before listening: " + open(os.path.join(self.folder, "sink.log")).read())
            time.sleep(0.02)
        raise Failure("the SMTP sink did not listen within 15 s")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.proc = None

    def messages(self):
        """Every message received (across restarts), oldest first, each with its "mtime"."""
        out = []
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".json") and not name.startswith("."):
                path = os.path.join(self.dir, name)
                record = json.load(open(path, encoding="utf-8"))
                record["mtime"] = os.stat(path).st_mtime
                out.append(record)
        return out


def make_board(cr, examples):
    cr.run("board", "create", "--id", "demo", "--name", "Northbridge LSCB (fictional)")
    cr.run("import", os.path.join(examples, "demo-board.json"))


@contextlib.contextmanager
def read_db(path):
    """A read-only connection (the tests only look), closed after the block."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        yield db
    finally:
        db.close()


def integrity_ok(path):
    with read_db(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def work_folder(keep=None):
    if keep:
        os.makedirs(keep, exist_ok=True)
        return keep, lambda: None
    folder = tempfile.mkdtemp(prefix="casereview-reliability-")
    return folder, lambda: shutil.rmtree(folder, ignore_errors=True)


def nhs_number(serial):
    """A valid (modulus 11) NHS number made from a serial: fictional, never a real person's
    by design of the 999 prefix range used only in tests."""
    n = 999000000 + 10 * serial  # ten candidates each: some have no valid check digit
    while True:
        digits = [int(c) for c in f"{n:09d}"]
        total = sum(d * (10 - i) for i, d in enumerate(digits))
        check_digit = 11 - total % 11
        if check_digit == 11:
            check_digit = 0
        if check_digit != 10:
            return f"{n:09d}{check_digit}"
        n += 1
