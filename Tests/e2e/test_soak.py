"""Load and soak: wrk on loopback mixes vacancy views, applications and panel pages for two
minutes (SOAK_SECONDS). No answer may be a 5xx, the log may hold no error, and the server's
RSS at the end must be within 20% of its RSS after a 30-second warm-up (caches and the SQLite
page cache fill in the first seconds); the RSS of every 10 seconds is printed."""
import os
import re
import subprocess
import tempfile
import threading
import time

from lethe_server import DEMO_PANEL, ROOT, Client, LetheServer, multipart

SECONDS = int(os.environ.get("SOAK_SECONDS", "120"))


def test_two_minutes_of_mixed_load_without_errors_or_growth():
    server = LetheServer()
    try:
        applicant = Client(server)
        hidden = applicant.hidden_fields("/jobs/1")
        with open(os.path.join(ROOT, "Tests", "Fixtures", "cv.pdf"), "rb") as f:
            cv = f.read()
        body, ctype = multipart(hidden + [("name", "Soak Applicant"), ("email", "soak-XXXXXXXXXXXXXXXX@example.com"), ("privacy_ack", "yes")], [("cv", "cv.pdf", cv)])
        body_file = tempfile.NamedTemporaryFile(delete=False)
        body_file.write(body)
        body_file.close()
        panel = Client(server)
        panel.sign_in(*DEMO_PANEL)
        env = dict(os.environ, BODY_FILE=body_file.name, BOUNDARY=ctype.split("boundary=")[1],
                   APPLICANT_COOKIE="; ".join(f"{k}={v}" for k, v in applicant.cookies.items()),
                   PANEL_COOKIE="; ".join(f"{k}={v}" for k, v in panel.cookies.items()))

        series = []
        done = threading.Event()

        def sample_rss():
            while not done.wait(10):
                series.append(server.rss_kib())

        sampler = threading.Thread(target=sample_rss)
        sampler.start()
        out = subprocess.run(["wrk", "-t2", "-c16", f"-d{SECONDS}s", "-s", os.path.join(os.path.dirname(__file__), "soak.lua"), server.url("/")],
                             env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stdout + out.stderr
        out = out.stdout
        done.set()
        sampler.join()
        late = server.rss_kib()
        warm = series[2] if len(series) > 2 else series[0]
        os.unlink(body_file.name)

        requests = int(re.search(r"(\d+) requests in", out).group(1))
        errors = int(re.search(r"SERVER_ERRORS (\d+)", out).group(1))
        print(out)
        print(f"RSS every 10 s (KiB): {series}; at the end: {late}")
        assert requests > 1000, out
        assert errors == 0, out
        # The applications in the mix were stored, each under its own address.
        stored = server.sql("SELECT count(*) FROM application WHERE email LIKE 'soak-%'")[0][0]
        assert stored > requests // 20, f"only {stored} of about {requests * 15 // 100} applications stored"
        assert not re.search(r"\b(error|critical)\b", server.log()), server.log()[-5000:]
        assert late <= warm * 1.2, f"RSS grew from {warm} KiB after 30 s to {late} KiB: {series}"
        assert "Socket errors" not in out or "timeout 0" in out, out
        # The server still answers, and the applications it acknowledged are stored.
        assert server.sql("SELECT count(*) FROM application")[0][0] > 100
    finally:
        server.stop()
