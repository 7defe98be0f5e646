#!/usr/bin/env python3
"""Where the server's time goes while it takes applications: `perf record -e cpu-clock -g`
(Debian's linux-perf; the software clock works here, hardware counters do not) on a release
server while wrk posts complete applications (200 KiB PDF, 16 connections, mail off), then the
symbols with the most samples, demangled, and each library's share (the kernel's included).

Usage: python3 bench/profile.py [seconds]   (needs wrk, perf; LETHE_BINARY measures another build)"""
import os
import subprocess
import sys
import tempfile

from lethe_bench import BOUNDARY, Server, application_body, pdf_of_size, release_binary, session

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 15

if __name__ == "__main__":
    binary = release_binary()
    server = Server(binary, 8185, ["--mail-transport", "none"])
    work = tempfile.mkdtemp(prefix="lethe-profile-")
    try:
        cookie, hidden = session(server)
        body = os.path.join(work, "body")
        with open(body, "wb") as f:
            f.write(application_body(hidden, pdf_of_size(200 * 1024)))
        data = os.path.join(work, "perf.data")
        perf = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-g", "-o", data, "-p", str(server.proc.pid), "--", "sleep", str(SECONDS)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = dict(os.environ, BODY_FILE=body, BOUNDARY=BOUNDARY, COOKIE=cookie)
        subprocess.run(["wrk", "-t2", "-c16", f"-d{SECONDS}s", "-s", os.path.join(os.path.dirname(__file__), "apply.lua"), server.url("/jobs/1/apply")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        perf.wait()
        report = subprocess.check_output(["perf", "report", "-i", data, "--no-children", "--sort", "dso,symbol", "--stdio", "-g", "none", "--percent-limit", "0.7"],
                                         text=True, stderr=subprocess.DEVNULL)
        lines = [line for line in report.splitlines() if line.strip() and not line.startswith("#")]
        demangled = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(lines), capture_output=True, text=True).stdout
        print(demangled)
        kernel = subprocess.check_output(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "--stdio", "-g", "none"], text=True, stderr=subprocess.DEVNULL)
        inclusive = subprocess.check_output(["perf", "report", "-i", data, "--children", "--dsos", os.path.basename(binary), "--sort", "symbol", "--stdio", "-g", "none", "--percent-limit", "2"],
                                            text=True, stderr=subprocess.DEVNULL)
        lines = [line for line in inclusive.splitlines() if line.strip() and not line.startswith("#")]
        print("Lethe's own functions with what they call (children included):")
        print(subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(lines[:45]), capture_output=True, text=True).stdout)
        print("by library:")
        print("\n".join(line for line in kernel.splitlines() if line.strip() and not line.startswith("#")))
    finally:
        server.remove()
        subprocess.call(["rm", "-rf", work])
