#!/usr/bin/env python3
"""Does forgetting disturb work? A release `lethe serve` starts with BENCH_APPS due applications
(default 100,000, each with a 200 KiB file) on a vacancy of their own, and purges them at start.
Meanwhile two wrk processes drive the other vacancy: a panel member's applications list
(8 connections) and complete applications with a 200 KiB PDF (8 connections), for
BENCH_SECONDS (default 10). Then, the purge done and its erasure notices delivered (mail is on,
as in a real deployment: each erased application's notice is queued with its erasure), the same
load again. Prints each load's rate and p99 with and without the purge, and their ratios.

Usage: python3 bench/purge_under_load.py   (needs wrk)"""
import datetime
import os
import re
import sqlite3
import subprocess
import tempfile
import time

from lethe_bench import BOUNDARY, Server, application_body, machine, pdf_of_size, release_binary, session
from panel import seconds, sign_in
from purge import insert_due

COUNT = int(os.environ.get("BENCH_APPS", "100000"))
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))


def due(server):
    db = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True, timeout=30)
    now = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.000")
    count = db.execute("SELECT count(*) FROM application WHERE retention_until <= ?", (now,)).fetchone()[0]
    db.close()
    return count


def undelivered(server):
    db = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True, timeout=30)
    count = db.execute("SELECT count(*) FROM outbox_message WHERE status IN ('pending', 'sending')").fetchone()[0]
    db.close()
    return count


def wrk(url, connections, args=(), env=None):
    return subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{DURATION}s", "--latency", *args, url],
                            stdout=subprocess.PIPE, text=True, env=env)


def result(process):
    out = process.communicate()[0]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99, int(errors.group(1)) if errors else 0


def load(server, cookie, body_env):
    """Both loads at once; returns ((list rate, p99, errors), (application rate, p99, errors))."""
    panel = wrk(server.url("/staff/vacancies/1"), 8, ["-H", f"Cookie: {cookie}"])
    intake = wrk(server.url("/jobs/1/apply"), 8, ["-s", os.path.join(os.path.dirname(__file__), "apply.lua")], body_env)
    return result(panel), result(intake)


if __name__ == "__main__":
    binary = release_binary()
    server = Server(binary, 8187)
    work = tempfile.mkdtemp(prefix="lethe-purge-load-")
    try:
        server.stop()
        t = time.perf_counter()
        insert_due(server.db, server.uploads, 2, COUNT)
        print(f"machine: {machine()}")
        print(f"prepared {COUNT} due applications with 200 KiB files in {time.perf_counter() - t:.0f}s")
        server.start()  # the scheduler purges at start, while the load below runs
        started = time.perf_counter()
        cookie = sign_in(server, "panel@demo.lethe.example", "demo orchard violin")
        form_cookie, hidden = session(server)
        body = os.path.join(work, "body")
        with open(body, "wb") as f:
            f.write(application_body(hidden, pdf_of_size(200 * 1024)))
        env = dict(os.environ, BODY_FILE=body, BOUNDARY=BOUNDARY, COOKIE=form_cookie)
        left_before = due(server)
        during = load(server, cookie, env)
        left_after = due(server)
        print(f"during the purge: {left_before} due when the load started, {left_after} when it ended")
        while due(server):
            time.sleep(0.5)
        print(f"purge finished {time.perf_counter() - started:.1f}s after the server started")
        # The load without a purge is measured once what the purge set going is over: its
        # erasure notices are still being delivered when the last row goes.
        while undelivered(server):
            time.sleep(0.5)
        print(f"its erasure notices delivered {time.perf_counter() - started:.1f}s after the server started")
        quiet = load(server, cookie, env)
        for name, (d, q) in (("applications list, 8 connections", (during[0], quiet[0])), ("applications, 200 KiB, 8 connections", (during[1], quiet[1]))):
            print(f"{name}: during the purge {d[0]:.0f}/s p99 {d[1] * 1000:.1f} ms (errors {d[2]}); "
                  f"without {q[0]:.0f}/s p99 {q[1] * 1000:.1f} ms (errors {q[2]}); "
                  f"rate {d[0] / q[0]:.0%} (target: at least 80%), p99 {d[1] / q[1]:.1f} x (target: at most 2)")
    finally:
        server.remove()
        subprocess.call(["rm", "-rf", work])
