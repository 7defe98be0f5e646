#!/usr/bin/env python3
"""Benchmark of the purge, release build.

N due applications (default 100,000; BENCH_APPS to change), each with one 200 KiB stored
document, are erased by `lethe purge` (timed, peak RSS from /usr/bin/time). Baseline, on an
identical second copy: one SQL DELETE of the same rows (same pragmas: foreign keys, which
cascade to the documents, secure_delete, synchronous=FULL) plus unlinking the same files.

Usage: python3 bench/purge.py"""
import datetime
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

from lethe_bench import machine, release_binary

COUNT = int(os.environ.get("BENCH_APPS", "100000"))
DOC_SIZE = 200 * 1024


def prepare(binary, root):
    db_path = os.path.join(root, "db.sqlite")
    uploads = os.path.join(root, "uploads")
    # Let lethe create and migrate the schema (a purge of an empty database does nothing else).
    subprocess.check_call([binary, "purge", "--database", db_path, "--uploads", uploads], stdout=subprocess.DEVNULL)
    db = sqlite3.connect(db_path)
    db.execute("INSERT INTO vacancy (title, description, location, closes_on, international, status, created_at, updated_at) VALUES ('Bench', 'd', 'l', '2099-01-01', 0, 'open', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')")
    vacancy = db.execute("SELECT max(id) FROM vacancy").fetchone()[0]
    db.commit()
    db.close()
    insert_due(db_path, uploads, vacancy, COUNT)
    return db_path, uploads


def insert_due(db_path, uploads, vacancy, count):
    """`count` applications to `vacancy` whose retention ended, each with a stored 200 KiB file
    where the document store keeps it (uploads/<first two hex digits>/<name>)."""
    db = sqlite3.connect(db_path, timeout=30)
    past = (datetime.datetime.utcnow() - datetime.timedelta(days=400)).strftime("%Y-%m-%d %H:%M:%S.000")
    due = (datetime.datetime.utcnow() - datetime.timedelta(days=200)).strftime("%Y-%m-%d %H:%M:%S.000")
    block = os.urandom(DOC_SIZE)
    for i in range(count):
        cur = db.execute("INSERT INTO application (vacancy_id, token_hash, name, email, submitted_at, retention_until) VALUES (?, ?, ?, ?, ?, ?)",
                         (vacancy, os.urandom(32), f"Applicant {i}", f"a{i}@example.com", past, due))
        name = os.urandom(16).hex() + ".lethe"
        db.execute("INSERT INTO document (application_id, kind, original_name, media_type, size, storage_name, encryption_key, created_at) VALUES (?, 'cv', 'cv.pdf', 'application/pdf', ?, ?, ?, ?)",
                   (cur.lastrowid, DOC_SIZE, name, os.urandom(32), past))
        with open(os.path.join(uploads, name[:2], name), "wb") as f:
            f.write(block)
    db.commit()
    db.close()
    subprocess.check_call(["sync"])


def lethe_purge(binary, db_path, uploads):
    # Mail off: the baseline tells no applicant either (by default each erased application
    # also gets its erasure notice rendered and queued in the same transaction).
    as_of = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-v", binary, "purge", "--json", "--mail-transport", "none", "--as-of", as_of, "--database", db_path, "--uploads", uploads],
                         capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return elapsed, rss, out.stdout.strip()


def baseline(db_path, uploads):
    """The raw way at C speed: one DELETE of the due rows in SQLite's own code (same pragmas),
    then every file unlinked by `find -delete`, no Python loop."""
    start = time.perf_counter()
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA secure_delete = ON")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("BEGIN IMMEDIATE")
    db.execute("DELETE FROM application WHERE retention_until <= strftime('%Y-%m-%d %H:%M:%f', 'now')")
    db.execute("COMMIT")
    db.close()
    subprocess.check_call(["find", uploads, "-type", "f", "-name", "*.lethe", "-delete"])
    return time.perf_counter() - start


if __name__ == "__main__":
    if not os.path.exists("/usr/bin/time"):
        raise SystemExit("needs /usr/bin/time (apt-get install time)")
    binary = release_binary()
    base = tempfile.mkdtemp(prefix="lethe-purge-bench-")
    try:
        a = os.path.join(base, "a"); b = os.path.join(base, "b")
        os.makedirs(a); os.makedirs(b)
        t = time.perf_counter()
        db_a, up_a = prepare(binary, a)
        db_b, up_b = prepare(binary, b)
        print(f"prepared 2 x {COUNT} applications with {DOC_SIZE // 1024} KiB documents in {time.perf_counter() - t:.0f}s")
        elapsed, rss, result = lethe_purge(binary, db_a, up_a)
        left = sum(len(files) for _, _, files in os.walk(up_a))
        base_elapsed = baseline(db_b, up_b)
        print(f"machine: {machine()}")
        print(f"lethe purge: {result} in {elapsed:.2f}s = {COUNT / elapsed:.0f} applications/s, peak RSS {rss / 1024:.0f} MiB, files left {left}")
        print(f"baseline (one DELETE, then find -delete): {base_elapsed:.2f}s = {COUNT / base_elapsed:.0f} applications/s")
        print(f"lethe's rate / the baseline's: {base_elapsed / elapsed:.2f} (target: at least 1.5)")
    finally:
        shutil.rmtree(base, ignore_errors=True)
