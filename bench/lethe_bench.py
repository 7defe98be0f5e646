#!/usr/bin/env python3
"""Shared helpers of the benchmarks: the release binary, a server (the launcher the system tests
use), a form session, multipart bodies, the machine. Standard library only."""
import atexit
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOUNDARY = "----LetheBenchBoundary"


def release_binary():
    """The release build of this checkout, or the binary LETHE_BINARY names (to measure another
    version with the same benchmark)."""
    if os.environ.get("LETHE_BINARY"):
        return os.environ["LETHE_BINARY"]
    path = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True).strip()
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "lethe"], cwd=ROOT)
    return os.path.join(path, "lethe")


sys.path.insert(0, os.path.join(ROOT, "Tests", "e2e"))
from lethe_server import Client, LetheServer  # noqa: E402  (the one launcher of system tests and benchmarks)


# What a benchmark wrote is deleted when it ends, not between its measurements: ext4 without a
# journal (this machine's disk) passes over inodes freed in the last minute (five when their
# block is still dirty) each time it allocates one, so a measurement right after thousands of
# files were deleted pays for that deletion in every file it creates (7-8% of an application's
# CPU in `recently_deleted` when the intake ran right after the raw ceiling's cleanup).
_SET_ASIDE = []
atexit.register(lambda: [shutil.rmtree(path, ignore_errors=True) for path in _SET_ASIDE])


def set_aside(path):
    """Deletes `path` when the benchmark ends."""
    _SET_ASIDE.append(path)


class _BenchServer(LetheServer):
    def remove(self):
        """Stops the server; its files go when the benchmark ends (see `set_aside`)."""
        self.stop()
        set_aside(self.dir)


def Server(binary, port, extra=()):
    """A release server on a fresh database, quiet in its log."""
    return _BenchServer(binary=binary, port=port, extra=["--log-level", "warning", *extra])


def session(server, vacancy_id=1):
    """The CSRF cookie of a vacancy page and its application form's hidden fields."""
    client = Client(server)
    hidden = dict(client.hidden_fields(f"/jobs/{vacancy_id}"))
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items()), hidden


def pdf_of_size(size):
    """A PDF header followed by a comment padding to `size` bytes: libmagic sees a PDF."""
    head = b"%PDF-1.4\n%" + b"\xe2\xe3\xcf\xd3\n"
    return head + b"%" + b"x" * (size - len(head) - 2) + b"\n"


# Where each copy of a body gets its own e-mail address (one application per address and vacancy).
UNIQUE = b"XXXXXXXXXXXXXXXX"


def application_body(hidden, cv):
    """An application with the form's hidden fields (from `Server.session`) and a CV; its e-mail
    address holds `UNIQUE`, for the sender to replace."""
    parts = []

    def field(name, value):
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())

    for name, value in hidden.items():
        field(name, value)
    field("name", "Bench Applicant")
    field("email", "bench-" + UNIQUE.decode() + "@example.com")
    field("privacy_ack", "yes")
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode() + cv + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def cpu_seconds(server):
    """User plus system CPU time the server process has used so far, in seconds."""
    with open(f"/proc/{server.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def raw_ceiling(threads, seconds, size, layout="flat-rename"):
    """Files per second that `threads` threads make durable, `size` bytes each, with no server
    and no database (bench/ceiling.c, compiled here), in a fresh directory on the file system
    the servers' uploads use. `layout`: flat-rename or fanned (see ceiling.c)."""
    import tempfile
    work = tempfile.mkdtemp(prefix="lethe-ceiling-")
    try:
        program = os.path.join(work, "ceiling")
        subprocess.check_call(["cc", "-O2", "-pthread", "-o", program, os.path.join(ROOT, "bench", "ceiling.c")])
        files = os.path.join(work, "files")
        os.mkdir(files)
        count, elapsed = subprocess.check_output([program, files, str(threads), str(seconds), str(size), layout], text=True).split()
        return int(count) / float(elapsed)
    finally:
        set_aside(work)


def machine():
    cpu = subprocess.check_output("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2", shell=True, text=True).strip()
    return f"{os.cpu_count()} cores ({cpu}), {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB"


if __name__ == "__main__":
    sys.exit("import this module")
