"""Durability below the page cache: every application answered 303 has been synced to the
SQLite WAL (and its CV file to disk) before the answer. A SIGKILL cannot show this, because the
kernel keeps the page cache; a power cut would. strace (Debian) counts the sync system calls of
the real server while applications arrive one after another."""
import os
import re
import time

from lethe_server import Client, LetheServer

APPLICATIONS = 20


def sync_calls(trace_path):
    """The successful sync calls in strace's trace, one line each. When two threads sync at the
    same moment strace splits a call in two lines ("fsync(22</path> <unfinished ...>", then
    "<... fsync resumed>) = 0"), so the halves are joined by thread id before counting."""
    calls, pending = [], {}
    with open(trace_path) as f:
        for line in f:
            tid, _, rest = line.rstrip("\n").partition(" ")
            rest = rest.lstrip()
            if rest.endswith("<unfinished ...>"):
                pending[tid] = rest[: -len("<unfinished ...>")].rstrip()
                continue
            resumed = re.match(r"<\.\.\. \w+ resumed>(.*)", rest)
            if resumed:
                rest = pending.pop(tid, "") + resumed.group(1)
            if re.search(r"\b(fsync|fdatasync)\(", rest) and "= 0" in rest:
                calls.append(f"{tid} {rest}")
    return calls


def test_every_acknowledged_application_is_synced_to_the_wal_before_its_303(tmp_path):
    trace = str(tmp_path / "syncs.trace")
    server = LetheServer(wrapper=["strace", "-f", "-y", "-qq", "-e", "trace=fsync,fdatasync", "-o", trace])
    try:
        client = Client(server)
        time.sleep(0.5)
        before = len(sync_calls(trace))
        for i in range(APPLICATIONS):
            status, location, _ = client.apply(1, [("name", f"Durable Applicant {i}"), ("email", f"durable{i}@example.com"), ("privacy_ack", "yes")])
            assert status == 303, status
        time.sleep(0.5)
        calls = sync_calls(trace)[before:]
    finally:
        server.stop()
    wal = [c for c in calls if "lethe.sqlite-wal>" in c]
    # A CV is written under its final name in one of 256 subdirectories; the file, then that
    # subdirectory (its new name), are synced before the row is committed.
    uploads = [c for c in calls if re.search(r"/uploads/[0-9a-f]{2}/[0-9a-f]{32}\.lethe>\)", c)]
    directory = [c for c in calls if re.search(r"/uploads/[0-9a-f]{2}>\)", c)]
    print(f"{len(wal)} WAL syncs, {len(uploads)} CV file syncs, {len(directory)} uploads directory syncs for {APPLICATIONS} applications")
    assert len(wal) >= APPLICATIONS, f"only {len(wal)} syncs of the WAL for {APPLICATIONS} acknowledged applications"
    assert len(uploads) >= APPLICATIONS
    assert len(directory) >= APPLICATIONS
    assert server.sql("SELECT count(*) FROM application WHERE email LIKE 'durable%'")[0][0] == APPLICATIONS
