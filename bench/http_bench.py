#!/usr/bin/env python3
"""Figure 5 (docs/performance.md): the server under wrk.

Starts `casereview serve` on a loopback port over a new database holding the demo board and
--reviews open SCRs (referred through the API itself, as a business officer would), then
measures with wrk (Debian's package) the panel chair's review list (whole, and its first page
of --page reviews), and one review's page: requests/s and p50/p99 latency, each for --seconds
with --connections connections. Every request is signed in by an API token and audited, as in
production (one durable audit append per request). Prints one line per endpoint, and the
ratio of the whole list to one review's page in the same run.

Usage: bench/http_bench.py --casereview build/app/casereview --examples examples
                           [--reviews 10000] [--page 50] [--seconds 10] [--connections 8]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cr, db, *args, stdin=None):
    return subprocess.run([cr, "--db", db, *args], input=stdin, capture_output=True, text=True, check=True).stdout


def wrk(url, token, seconds, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s",
                          "-H", f"Authorization: Bearer {token}", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"http bench: {errors.group(1)} requests failed to {url}:\n{out}")
    return rate, latency(50), latency(99)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--casereview", required=True)
    ap.add_argument("--examples", required=True)
    ap.add_argument("--reviews", type=int, default=10000)
    ap.add_argument("--page", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("http bench: wrk is not installed (apt-get install wrk; scripts/install-deps.sh does)")
    work = tempfile.mkdtemp(prefix="casereview-http-bench.")
    db = os.path.join(work, "bench.db")
    server = None
    try:
        run(args.casereview, db, "board", "create", "--id", "demo", "--name", "Benchmark board")
        run(args.casereview, db, "import", os.path.join(args.examples, "demo-board.json"))
        token = json.loads(run(args.casereview, db, "--json", "token", "create", "--person", "p-panel-chair",
                               "--label", "bench"))["token"]
        port = free_port()
        server = subprocess.Popen([args.casereview, "--db", db, "serve", "--port", str(port),
                                   "--mail-drop", os.path.join(work, "mail")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        scenario = json.load(open(os.path.join(args.examples, "scr_full_lifecycle.json")))
        referral = json.dumps({"fields": scenario["steps"][0]["refer"]})
        conn = http.client.HTTPConnection("127.0.0.1", port)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        started = time.monotonic()
        first = None
        for _ in range(args.reviews):
            conn.request("POST", "/api/v1/reviews", referral, headers)
            reply = conn.getresponse()
            body = json.loads(reply.read())
            if reply.status != 201:
                raise SystemExit(f"http bench: a referral was refused: {reply.status} {body}")
            first = first or body["ref"]
        load_seconds = time.monotonic() - started
        conn.close()  # an idle keep-alive connection holds one of the server's threads
        print(f"figure 5 set-up: {args.reviews} open reviews referred through the API in {load_seconds:.1f} s "
              f"({args.reviews / load_seconds:.0f} referrals/s, each one durable commit and one audit entry)")
        base = f"http://127.0.0.1:{port}"
        list_rate, list_p50, list_p99 = wrk(f"{base}/api/v1/reviews", token, args.seconds, args.connections)
        page_rate, page_p50, page_p99 = wrk(f"{base}/api/v1/reviews?limit={args.page}", token, args.seconds,
                                            args.connections)
        one_rate, one_p50, one_p99 = wrk(f"{base}/api/v1/reviews/{first}", token, args.seconds, args.connections)
        print(f"figure 5 (HTTP, {args.connections} connections, {args.seconds} s each): the chair's list of "
              f"{args.reviews} open reviews {list_rate:.1f} req/s, p50 {list_p50:.1f} ms, p99 {list_p99:.1f} ms; "
              f"its first page of {args.page} {page_rate:.1f} req/s, p50 {page_p50:.2f} ms, p99 {page_p99:.2f} ms; "
              f"one review's page {one_rate:.1f} req/s, p50 {one_p50:.2f} ms, p99 {one_p99:.2f} ms; "
              f"ratio one review / whole list = {one_rate / list_rate:.1f}x")
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
