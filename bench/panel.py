#!/usr/bin/env python3
"""Benchmark of the panel pages, release build.

A vacancy with 10,000 applications; a signed-in panel member. wrk with one connection (so the
latency is the render time, not time spent queueing behind other requests) measures the
panel member's home, the applications list (first page, a name search, sorted by name), one
application's page, a 200 KiB CV sent through the form and downloaded, and the same server's
/healthz in the same run; then the list and /healthz again at 16 connections for throughput. Every page view also appends an audit
event (a durable write), which is part of what is measured.

Usage: python3 bench/panel.py   (needs wrk)"""
import datetime
import os
import re
import sqlite3
import subprocess
import urllib.parse
import urllib.request

from lethe_bench import BOUNDARY, UNIQUE, Client, Server, application_body, cpu_seconds, machine, pdf_of_size, release_binary, session

DURATION = os.environ.get("BENCH_SECONDS", "10")


def seed(db_path, vacancy_id, count=10_000):
    db = sqlite3.connect(db_path, timeout=30)
    now = datetime.datetime.utcnow()
    rows = []
    statuses = ["received", "in_review", "shortlisted", "rejected", "offered", "hired", "declined"]
    for i in range(count):
        submitted = (now - datetime.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S.000")
        until = (now + datetime.timedelta(days=180)).strftime("%Y-%m-%d %H:%M:%S.000")
        rows.append((vacancy_id, os.urandom(32), f"Applicant {i:05d}", f"a{i}@example.com", statuses[i % 7], submitted, until))
    db.executemany("INSERT INTO application (vacancy_id, token_hash, name, email, status, submitted_at, retention_until) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    last = db.execute("SELECT max(id) FROM application").fetchone()[0]
    db.close()
    return last


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(server, email, password):
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(server.url("/login"))
    csrf_cookie = page.headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    request = urllib.request.Request(server.url("/login"), data=body, headers={"Cookie": csrf_cookie})
    try:
        opener.open(request)
    except urllib.error.HTTPError as redirect:
        cookies = [c.split(";")[0] for c in redirect.headers.get_all("Set-Cookie")]
        return "; ".join(cookies)
    raise RuntimeError("sign-in failed")


def sealed_search(server, cookie, text):
    """The list's address for a name search: the search form's 303, with the text sealed."""
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(urllib.request.Request(server.url("/staff/vacancies/1"), headers={"Cookie": cookie})).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "q": text}).encode()
    try:
        opener.open(urllib.request.Request(server.url("/staff/vacancies/1/search"), data=body, headers={"Cookie": cookie}))
    except urllib.error.HTTPError as redirect:
        return redirect.headers["Location"]
    raise RuntimeError("search did not redirect")


def submitted_cv(server):
    """The download address of a 200 KiB PDF CV sent through the application form."""
    cookie, hidden = session(server)
    body = application_body(hidden, pdf_of_size(200 * 1024)).replace(UNIQUE, b"cv-download-bench")
    client = Client(server)
    status, _, _ = client.request("/jobs/1/apply", data=body, headers={"Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    assert status == 303, f"the application was not stored ({status})"
    db = sqlite3.connect(server.db)
    application, document = db.execute("SELECT application_id, id FROM document ORDER BY id DESC LIMIT 1").fetchone()
    db.close()
    return f"/staff/applications/{application}/documents/{document}"


def seconds(text):
    """wrk's latency text (e.g. 812.00us, 3.1ms, 1.2s) in seconds."""
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk(server, path, cookie=None, connections=1):
    """Rate, p50, p99 (seconds), non-2xx/3xx answers and the server's CPU per request."""
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{DURATION}s", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    before = cpu_seconds(server)
    out = subprocess.check_output(args + [server.url(path)], text=True)
    cpu = cpu_seconds(server) - before
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = seconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = seconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p50, p99, int(errors.group(1)) if errors else 0, cpu / max(requests, 1)


if __name__ == "__main__":
    binary = release_binary()
    server = Server(binary, 8183)
    try:
        last = seed(server.db, 1)
        cookie = sign_in(server, "panel@demo.lethe.example", "demo orchard violin")
        cv = submitted_cv(server)
        pages = [
            ("panel member's home", "/staff"),
            ("applications list, first page", "/staff/vacancies/1"),
            ("applications list, name search", sealed_search(server, cookie, "Applicant 0123")),
            ("applications list, sorted by name, page 100", "/staff/vacancies/1?sort=name&page=100"),
            ("one application", f"/staff/applications/{last}"),
            ("a 200 KiB CV, downloaded", cv),
        ]
        print(f"machine: {machine()}")
        # The ceiling in the same run: /healthz, the cheapest answer of the same server.
        h_rate, h_p50, h_p99, h_errors, h_cpu = wrk(server, "/healthz")
        print(f"/healthz, 1 connection: {h_rate:.0f}/s, p50 {h_p50 * 1000:.2f} ms, p99 {h_p99 * 1000:.2f} ms, errors {h_errors}")
        for label, path in pages:
            rate, p50, p99, errors, cpu = wrk(server, path, cookie)
            print(f"{label}, 1 connection: {rate:.0f}/s, p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms "
                  f"= {p99 / h_p99:.1f} x /healthz's p99 (target: at most 10), server CPU {cpu * 1000:.2f} ms per page (target: at most 1), errors {errors}")
        h16_rate, _, h16_p99, _, _ = wrk(server, "/healthz", connections=16)
        rate, p50, p99, errors, cpu = wrk(server, "/staff/vacancies/1", cookie, connections=16)
        print(f"/healthz, 16 connections: {h16_rate:.0f}/s, p99 {h16_p99 * 1000:.2f} ms")
        print(f"applications list, first page, 16 connections: {rate:.0f}/s = {rate / h16_rate:.0%} of /healthz's rate (target: at least 20%), "
              f"p99 {p99 * 1000:.2f} ms, server CPU {cpu * 1000:.2f} ms per page, errors {errors}")
    finally:
        server.remove()
