#!/usr/bin/env python3
"""Where the server's time goes: `perf record -e cpu-clock -g` (Debian's linux-perf; the
software clock works here, hardware counters do not) on a release server under wrk, then the
symbols with the most samples, demangled, every function with what it calls (DWARF call
graphs: Swift's async frames have no frame-pointer chain), and each library's share (the
kernel's included).

Workloads:
  intake  complete applications (200 KiB PDF, 16 connections, mail off)
  panel   a panel member's applications list, first page of 10,000 (16 connections)
  page    one application's page, of the same 10,000 (16 connections)
  home    the panel member's home, a vacancy of 10,000 applications on it (16 connections)
  cv      a 200 KiB CV sent through the form, downloaded by its panel (16 connections)

Usage: python3 bench/profile.py [intake|home|panel|page|cv] [seconds]   (PROFILE_DATA=<path> keeps perf.data)
(needs wrk, perf; LETHE_BINARY measures another build)"""
import os
import subprocess
import sys
import tempfile

from lethe_bench import BOUNDARY, Server, application_body, pdf_of_size, release_binary, session
from panel import seed, sign_in, submitted_cv

WORKLOAD = sys.argv[1] if len(sys.argv) > 1 else "intake"
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 6


def load(server, work):
    """The wrk command line and environment of the workload."""
    if WORKLOAD == "intake":
        cookie, hidden = session(server)
        body = os.path.join(work, "body")
        with open(body, "wb") as f:
            f.write(application_body(hidden, pdf_of_size(200 * 1024)))
        env = dict(os.environ, BODY_FILE=body, BOUNDARY=BOUNDARY, COOKIE=cookie)
        script = ["-s", os.path.join(os.path.dirname(__file__), "apply.lua")]
        return script + [server.url("/jobs/1/apply")], env
    last = seed(server.db, 1)
    cookie = sign_in(server, "panel@demo.lethe.example", "demo orchard violin")
    path = {"home": "/staff", "panel": "/staff/vacancies/1", "page": f"/staff/applications/{last}", "cv": submitted_cv(server)}[WORKLOAD]
    return ["-H", f"Cookie: {cookie}", server.url(path)], os.environ


def report(data, binary):
    flat = subprocess.check_output(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio", "-g", "none", "--percent-limit", "0.7"],
                                   text=True, stderr=subprocess.DEVNULL)
    lines = [line[:200].rstrip() for line in flat.splitlines() if line.strip() and not line.startswith("#")]
    print(subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(lines), capture_output=True, text=True).stdout)
    inclusive = subprocess.check_output(["perf", "report", "-i", data, "--children", "--sort", "symbol", "--stdio", "-g", "none", "--percent-limit", "1.5"],
                                        text=True, stderr=subprocess.DEVNULL)
    lines = [line[:200].rstrip() for line in inclusive.splitlines() if line.strip() and not line.startswith("#")]
    print("functions with what they call (children included):")
    print(subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(lines[:150]), capture_output=True, text=True).stdout)
    libraries = subprocess.check_output(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "--stdio", "-g", "none"], text=True, stderr=subprocess.DEVNULL)
    print("by library:")
    print("\n".join(line for line in libraries.splitlines() if line.strip() and not line.startswith("#")))


if __name__ == "__main__":
    if WORKLOAD not in ("intake", "home", "panel", "page", "cv"):
        sys.exit(__doc__)
    binary = release_binary()
    server = Server(binary, 8185, ["--mail-transport", "none"])
    work = tempfile.mkdtemp(prefix="lethe-profile-")
    try:
        target, env = load(server, work)
        # PROFILE_DATA=<path> keeps the recording, for `perf report -i <path> -G` on one function.
        data = os.environ.get("PROFILE_DATA") or os.path.join(work, "perf.data")
        perf = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "--call-graph", "dwarf,16384", "-o", data, "-p", str(server.proc.pid), "--", "sleep", str(SECONDS)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["wrk", "-t2", "-c16", f"-d{SECONDS}s", *target], env=env, check=True, stdout=subprocess.DEVNULL)
        perf.wait()
        report(data, binary)
    finally:
        server.remove()
        subprocess.call(["rm", "-rf", work])
