"""Crash test: 50 applicants apply at once while the server is killed with SIGKILL at random
moments and restarted. Every application that got its 303 must be there afterwards with a CV
that decrypts to the uploaded bytes; after the orphan sweep every stored file has its row; and
SQLite's integrity check passes."""
import os
import random
import subprocess
import threading
import time

from lethe_server import BINARY, DEMO_PANEL, Client, LetheServer

APPLICANTS = 50
KILLS = int(os.environ.get("CRASH_KILLS", "4"))


def applicant(server, number, stop, acknowledged, lock):
    rng = random.Random(number)
    attempt = 0
    while not stop.is_set():
        attempt += 1
        name = f"Crash Applicant {number}-{attempt}"
        cv = b"%PDF-1.4\n%" + bytes(rng.getrandbits(8) for _ in range(rng.randint(1_000, 300_000))) + b"\n%%EOF\n"
        try:
            client = Client(server)
            status, _, _ = client.apply(1, [("name", name), ("email", f"crash{number}-{attempt}@example.com"), ("privacy_ack", "yes")], cv=cv)
            if status == 303:
                with lock:
                    acknowledged[name] = cv
        except Exception:
            time.sleep(0.05)  # the server is down or restarting: try again


def test_applications_acknowledged_before_a_sigkill_survive_it():
    server = LetheServer()
    stop = threading.Event()
    lock = threading.Lock()
    acknowledged = {}
    threads = [threading.Thread(target=applicant, args=(server, i, stop, acknowledged, lock)) for i in range(APPLICANTS)]
    try:
        for t in threads:
            t.start()
        for _ in range(KILLS):
            time.sleep(random.uniform(1.0, 3.0))
            server.kill()
            time.sleep(random.uniform(0.0, 0.5))
            server.start()
        time.sleep(2)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        server.stop()

        assert len(acknowledged) >= APPLICANTS, f"too few applications got through: {len(acknowledged)}"
        assert server.sql("PRAGMA integrity_check") == [("ok",)]

        # The orphan sweep (no server running, so no grace needed) leaves exactly the referenced files.
        subprocess.run([BINARY, "purge", "--orphan-grace", "0", "--database", server.db, "--uploads", server.uploads],
                       check=True, capture_output=True)
        stored = sorted(f for _, _, files in os.walk(server.uploads) for f in files)
        referenced = sorted(r[0] for r in server.sql("SELECT storage_name FROM document"))
        assert stored == referenced

        server.start()
        panel = Client(server)
        panel.sign_in(*DEMO_PANEL)
        for name, cv in acknowledged.items():
            rows = server.sql("SELECT application.id, document.id FROM application JOIN document ON document.application_id = application.id WHERE name = ?", (name,))
            assert len(rows) == 1, f"{name} got its 303 but is not stored"
            application_id, document_id = rows[0]
            status, body, _ = panel.request(f"/staff/applications/{application_id}/documents/{document_id}")
            assert status == 200
            assert body == cv, f"the CV of {name} does not decrypt to what was uploaded"
    finally:
        stop.set()
        server.stop()
