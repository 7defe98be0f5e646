#!/usr/bin/env python3
"""Benchmark of the application intake, release build.

1. Throughput of complete applications with a 200 KiB PDF CV at 16 concurrent clients (wrk),
   beside the same server's /healthz rate in the same run; once with mail (the receipt queued
   in the application's transaction and written to a Maildir by the delivery service) and once
   with `--mail-transport none`, in the same run.
2. Peak RSS of a fresh server while 50 clients each upload a 10 MiB CV at once (target < 150 MB).

Usage: python3 bench/intake.py   (needs wrk: apt-get install wrk)"""
import os
import re
import socket
import subprocess
import tempfile
import threading
import time

from lethe_bench import BOUNDARY, UNIQUE, Server, application_body, cpu_seconds, machine, pdf_of_size, raw_ceiling, release_binary, session

DURATION = os.environ.get("BENCH_SECONDS", "20")


def wrk(args, env=None):
    out = subprocess.check_output(["wrk", "-t2", "-c16", f"-d{DURATION}s", "--latency", *args], text=True, env=env)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    return rate, int(errors.group(1)) if errors else 0, p99, requests


def throughput(binary, extra=(), wait_for_mail=True):
    server = Server(binary, 8181, extra)
    try:
        cookie, hidden = session(server)
        body = tempfile.NamedTemporaryFile(delete=False)
        body.write(application_body(hidden, pdf_of_size(200 * 1024)))
        body.close()
        env = dict(os.environ, BODY_FILE=body.name, BOUNDARY=BOUNDARY, COOKIE=cookie)
        cpu_before = cpu_seconds(server)
        apply_rate, apply_errors, apply_p99, applications = wrk(["-s", os.path.join(os.path.dirname(__file__), "apply.lua"), server.url("/jobs/1/apply")], env)
        cpu_per_application = (cpu_seconds(server) - cpu_before) / max(applications, 1)
        health_rate, health_errors, health_p99, _ = wrk([server.url("/healthz")])
        os.unlink(body.name)
        stored = sum(len(files) for _, _, files in os.walk(os.path.join(server.dir, "uploads")))
        # Let the delivery service catch up, then count what it handed on.
        deadline = time.time() + (60 if wait_for_mail else 0)
        while time.time() < deadline and server.sql("SELECT count(*) FROM outbox_message WHERE status != 'delivered'")[0][0]:
            time.sleep(0.5)
        mailbox = os.path.join(server.dir, "mail", "new")
        mailed = len(os.listdir(mailbox)) if os.path.isdir(mailbox) else 0
        return apply_rate, apply_errors, apply_p99, health_rate, health_errors, health_p99, stored, mailed, cpu_per_application
    finally:
        server.remove()


def upload(port, cookie, body, results, i):
    with socket.create_connection(("127.0.0.1", port)) as s:
        head = (f"POST /jobs/1/apply HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nConnection: close\r\n"
                f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        s.sendall(head)
        view = memoryview(body.replace(UNIQUE, f"{i:016d}".encode()))
        for offset in range(0, len(body), 256 * 1024):
            s.sendall(view[offset:offset + 256 * 1024])
        results[i] = s.recv(64).split(b"\r\n")[0].decode()


def peak_rss(binary, clients=50):
    server = Server(binary, 8182)
    try:
        cookie, hidden = session(server)
        body = application_body(hidden, pdf_of_size(10 * 1024 * 1024 - 4096))
        baseline = server.rss_kib()
        results = [None] * clients
        threads = [threading.Thread(target=upload, args=(8182, cookie, body, results, i)) for i in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.2)
        return baseline, server.rss_kib("VmHWM"), results
    finally:
        server.remove()


if __name__ == "__main__":
    binary = release_binary()
    # The raw ceiling first, in the same run: 16 threads, the same 200 KiB, no server, no database.
    ceiling = raw_ceiling(16, int(DURATION), 200 * 1024, "flat-rename")
    ceiling_fanned = raw_ceiling(16, int(DURATION), 200 * 1024, "fanned")
    quiet = throughput(binary, ["--mail-transport", "none"])
    # The receipt queued in each application's transaction, delivered only after the run.
    queued = throughput(binary, ["--mail-poll", "3600"], wait_for_mail=False)
    a_rate, a_err, a_p99, h_rate, h_err, h_p99, stored, mailed, a_cpu = throughput(binary)
    base, peak, statuses = peak_rss(binary)
    print(f"machine: {machine()}")
    print(f"raw ceiling (16 threads, 200 KiB files: write, fsync, rename, directory fsync; no server, no database): {ceiling:.0f}/s")
    print(f"raw ceiling, fanned out (final name in one of 256 directories, that directory fsynced): {ceiling_fanned:.0f}/s")
    print(f"applications without mail: {quiet[0]:.0f}/s = {quiet[0] / ceiling:.0%} of the raw ceiling (target: at least 70%); "
          f"server CPU {quiet[8] * 1000:.2f} ms per application (target: at most 1.5 ms)")
    print(f"applications with mail (200 KiB PDF, 16 clients, {DURATION}s): {a_rate:.0f}/s, p99 {a_p99}, non-3xx {a_err}, files stored {stored}, receipts delivered {mailed}")
    print(f"applications without mail, same run: {quiet[0]:.0f}/s, p99 {quiet[2]}, non-3xx {quiet[1]}, files stored {quiet[6]}")
    print(f"applications with receipts queued, delivered after the run: {queued[0]:.0f}/s, p99 {queued[2]}, non-3xx {queued[1]}")
    print(f"queued / without mail: {queued[0] / quiet[0]:.0%}; queued and delivered meanwhile / without mail: {a_rate / quiet[0]:.0%} (target: at least 90%)")
    print(f"/healthz (16 clients, {DURATION}s): {h_rate:.0f}/s, p99 {h_p99}, errors {h_err}")
    print(f"{len(statuses)} x 10 MiB uploads at once: peak RSS {peak / 1024:.0f} MiB = {peak * 1024 / 1e6:.0f} MB (target: under 150 MB; idle {base / 1024:.0f} MiB); "
          f"answers: {sorted(set(statuses))}")
