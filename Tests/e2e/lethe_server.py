"""Starts and stops a real `lethe serve --demo` on a fresh temporary database and uploads
directory, and offers the few HTTP helpers its users share: the system tests (debug build) and
the benchmarks in bench/ (release build). Standard library only."""
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("LETHE_BINARY", os.path.join(ROOT, ".build", "debug", "lethe"))

DEMO_HR = ("hr@demo.lethe.example", "demo harbour lantern")
DEMO_PANEL = ("panel@demo.lethe.example", "demo orchard violin")
DEMO_STAFF = ("staff@demo.lethe.example", "demo meadow compass")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LetheServer:
    """One server process; `restart` keeps its database and uploads."""

    def __init__(self, extra=(), wrapper=(), binary=None, port=None):
        self.binary = binary or BINARY
        self.dir = tempfile.mkdtemp(prefix="lethe-")
        self.db = os.path.join(self.dir, "lethe.sqlite")
        self.uploads = os.path.join(self.dir, "uploads")
        self.log_path = os.path.join(self.dir, "server.log")
        self.port = port or free_port()
        self.extra = list(extra)
        self.wrapper = list(wrapper)
        self.proc = None
        self.start()

    def start(self):
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [*self.wrapper, self.binary, "serve", "--demo", "--insecure-cookies", "--port", str(self.port), "--database", self.db,
             "--uploads", self.uploads, "--templates", os.path.join(ROOT, "templates"), "--public", os.path.join(ROOT, "public"),
             "--default-language", "en", *self.extra],
            stdout=log, stderr=log, cwd=ROOT,
            # Its own process group: a wrapper (strace) that is stopped detaches and leaves the
            # server running, so the signals go to the whole group.
            start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url("/healthz"), timeout=1).read()
                return
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError("lethe exited at start:\n" + self.log())
                time.sleep(0.1)
        raise RuntimeError("lethe did not answer /healthz in time")

    def signal_group(self, signum):
        try:
            os.killpg(self.proc.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self):
        self.signal_group(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self):
        self.stop()
        self.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def sql(self, query, args=()):
        db = sqlite3.connect(self.db, timeout=30)
        try:
            return db.execute(query, args).fetchall()
        finally:
            db.close()

    def remove(self):
        """Stops the server and removes its database, uploads and log."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def rss_kib(self, field="VmRSS"):
        """The server's resident memory (VmHWM: its peak), in KiB."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path, data=None, headers=None, method=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(self.server.url(path), data=data, headers=headers, method=method)
        try:
            response = self.opener.open(req, timeout=60)
            status, body, hdrs = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, body, hdrs = error.code, error.read(), error.headers
        for value in hdrs.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            content = rest.split(";")[0]
            if "Max-Age=0" in value or not content:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = content
        return status, body, hdrs

    def csrf(self, path):
        _, body, _ = self.request(path)
        match = re.search(rb'name="csrf_token" value="([^"]+)"', body)
        return match.group(1).decode() if match else ""

    def post_form(self, path, fields, token_from=None):
        fields = dict(fields)
        fields["csrf_token"] = self.csrf(token_from or path)
        return self.request(path, urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"})

    def hidden_fields(self, path):
        """The hidden inputs of the first form on a page, as a browser would send them."""
        _, body, _ = self.request(path)
        form = body.split(b"<form", 1)[-1] if b'enctype="multipart/form-data"' not in body else body.split(b'enctype="multipart/form-data"', 1)[1]
        return [(m.group(1).decode(), m.group(2).decode())
                for m in re.finditer(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.split(b"</form>")[0])]

    def apply(self, vacancy_id, fields, cv=b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", cv_name="cv.pdf"):
        """Opens the vacancy page and sends its application form with `fields` (pairs) and a CV.
        Returns the status and the Location header."""
        hidden = self.hidden_fields(f"/jobs/{vacancy_id}")
        body, ctype = multipart(hidden + list(fields), [("cv", cv_name, cv)])
        status, page, headers = self.request(f"/jobs/{vacancy_id}/apply", body, {"Content-Type": ctype})
        return status, headers.get("Location"), page

    def sign_in(self, email, password):
        status, _, hdrs = self.post_form("/login", {"email": email, "password": password})
        assert status == 303, f"sign-in of {email} answered {status}"
        return hdrs["Location"]


def multipart(fields, files, boundary="----LetheE2EBoundary"):
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
