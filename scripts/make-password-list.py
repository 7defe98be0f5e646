#!/usr/bin/env python3
"""Builds Sources/LetheCore/Resources/common-passwords.txt: the common and breached passwords
Lethe refuses for staff accounts, lower-cased, unique and sorted, one per line.

Sources (public, downloaded from PyPI into a temporary directory): Django's
CommonPasswordValidator list (19,640 passwords, from Royce Williams' compilation of breach
lists) and zxcvbn's 30,000 most frequent passwords (from Mark Burnett's 10 million password
set). Run it again to refresh the file; nothing else reads these packages."""
import glob
import gzip
import io
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Sources", "LetheCore", "Resources", "common-passwords.txt")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", tmp,
                        "django==5.2.19", "zxcvbn==4.5.0"], check=True)
        passwords = set()
        with zipfile.ZipFile(glob.glob(os.path.join(tmp, "[Dd]jango-*.whl"))[0]) as wheel:
            data = gzip.decompress(wheel.read("django/contrib/auth/common-passwords.txt.gz")).decode()
            passwords.update(line.strip().lower() for line in data.splitlines())
        with zipfile.ZipFile(glob.glob(os.path.join(tmp, "zxcvbn-*.whl"))[0]) as wheel:
            namespace = {}
            exec(wheel.read("zxcvbn/frequency_lists.py").decode(), namespace)
            passwords.update(p.lower() for p in namespace["FREQUENCY_LISTS"]["passwords"])
    passwords = sorted(p for p in passwords if p and "\n" not in p)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with io.open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(passwords) + "\n")
    print(f"{len(passwords)} passwords written to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
