#!/usr/bin/env python3
"""Shared helpers of the benchmarks: start a release server on a temp dir, get a form session,
build multipart bodies, read a process's memory. Standard library only."""
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOUNDARY = "----LetheBenchBoundary"


def release_binary():
    path = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip()
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "lethe"], cwd=ROOT)
    return os.path.join(path, "lethe")


class Server:
    """A `lethe serve --demo` process on a fresh database and uploads directory."""

    def __init__(self, binary, port, extra=()):
        self.dir = tempfile.mkdtemp(prefix="lethe-bench-")
        self.port = port
        self.proc = subprocess.Popen(
            [binary, "serve", "--demo", "--insecure-cookies", "--port", str(port), "--log-level", "warning",
             "--database", os.path.join(self.dir, "db.sqlite"), "--uploads", os.path.join(self.dir, "uploads"), *extra],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.dir, "server.log"), "w"))
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1).read()
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def session(self, vacancy_id=1):
        """The CSRF cookie of a vacancy page and its form's hidden fields (token, signed terms)."""
        response = urllib.request.urlopen(self.url(f"/jobs/{vacancy_id}"))
        cookie = response.headers["Set-Cookie"].split(";")[0]
        html = response.read().decode()
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html.split('enctype="multipart/form-data"', 1)[1]))
        return cookie, hidden

    def rss_kib(self, field="VmRSS"):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)
        subprocess.call(["rm", "-rf", self.dir])


def pdf_of_size(size):
    """A PDF header followed by a comment padding to `size` bytes: libmagic sees a PDF."""
    head = b"%PDF-1.4\n%" + b"\xe2\xe3\xcf\xd3\n"
    return head + b"%" + b"x" * (size - len(head) - 2) + b"\n"


def application_body(hidden, cv):
    """An application with the form's hidden fields (from `Server.session`) and a CV."""
    parts = []

    def field(name, value):
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())

    for name, value in hidden.items():
        field(name, value)
    field("name", "Bench Applicant")
    field("email", "bench@example.com")
    field("privacy_ack", "yes")
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode() + cv + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def machine():
    cpu = subprocess.check_output("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2", shell=True, text=True).strip()
    return f"{os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB"


if __name__ == "__main__":
    sys.exit("import this module")
