"""Runs a Python program under valgrind memcheck and reports the errors and definite leaks
whose stacks pass through libTH (CPython itself shows a few known false positives, which
are counted separately). Exit status 1 if libTH has any.

    python scripts/valgrind_check.py examples/backpack.py float_tensor
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(argv: list[str]) -> tuple[int, int, list[str]]:
    """(libTH records, other records, the libTH records' text)."""
    with tempfile.NamedTemporaryFile("r", suffix=".log") as log:
        env = dict(os.environ, PYTHONMALLOC="malloc")
        subprocess.run(["valgrind", "--leak-check=full", "--show-leak-kinds=definite",
                        "--num-callers=40", f"--log-file={log.name}", sys.executable, *argv],
                       env=env, check=False, stdout=subprocess.DEVNULL)
        text = log.read()
    # a record: lines from "==pid== <headline>" to the next blank "==pid== " line
    records = re.split(r"\n==\d+== \n", text)
    problems = [r for r in records if re.search(
        r"(Invalid (read|write|free)|uninitialised|definitely lost in|Mismatched free)", r)]
    ours = [r for r in problems if "libTH" in r]
    return len(ours), len(problems) - len(ours), ours


def main() -> int:
    if shutil.which("valgrind") is None:
        print("valgrind is not installed")
        return 2
    ours, other, texts = run(sys.argv[1:])
    print(f"valgrind: {ours} error/leak records in libTH, {other} elsewhere (CPython)")
    for t in texts:
        print(t)
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
