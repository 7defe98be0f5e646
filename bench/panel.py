#!/usr/bin/env python3
"""Benchmark of the panel pages, release build.

A vacancy with 10,000 applications; a signed-in panel member. wrk with one connection (so the
latency is the render time, not time spent queueing behind other requests) measures the
applications list (first page, a name search, sorted by name), one application's page, and the
same server's /healthz in the same run; then the list again at 4 connections for throughput. Every page view also appends an audit
event (a durable write), which is part of what is measured.

Usage: python3 bench/panel.py   (needs wrk)"""
import datetime
import os
import re
import sqlite3
import subprocess
import urllib.parse
import urllib.request

from lethe_bench import Server, machine, release_binary

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


def wrk(url, cookie=None, connections=1):
    args = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{DURATION}s", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.check_output(args + [url], text=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p50, p99, int(errors.group(1)) if errors else 0


if __name__ == "__main__":
    binary = release_binary()
    server = Server(binary, 8183)
    try:
        last = seed(server.db, 1)
        cookie = sign_in(server, "panel@demo.lethe.example", "demo orchard violin")
        pages = [
            ("applications list, first page", "/staff/vacancies/1"),
            ("applications list, name search", "/staff/vacancies/1?q=Applicant+0123"),
            ("applications list, sorted by name, page 100", "/staff/vacancies/1?sort=name&page=100"),
            ("one application", f"/staff/applications/{last}"),
        ]
        print(f"machine: {machine()}")
        for label, path in pages:
            rate, p50, p99, errors = wrk(server.url(path), cookie)
            print(f"{label}: {rate:.0f}/s, p50 {p50}, p99 {p99}, errors {errors}")
        rate, p50, p99, errors = wrk(server.url("/healthz"))
        print(f"/healthz: {rate:.0f}/s, p50 {p50}, p99 {p99}, errors {errors}")
        rate, p50, p99, errors = wrk(server.url("/staff/vacancies/1"), cookie, connections=4)
        print(f"applications list, first page, 4 connections: {rate:.0f}/s, p50 {p50}, p99 {p99}, errors {errors}")
    finally:
        server.remove()
