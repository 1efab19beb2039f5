"""Run a command; write its wall time, exit code and peak RSS to a JSON file.

Usage: ``python -S _peak_rss.py RESULT.json COMMAND [ARG ...]`` (``COMMAND`` is
an absolute path). The peak is ``ru_maxrss`` from ``os.wait4`` on the
command's pid, in KiB.

Why a launcher: Linux carries a process's peak RSS across ``exec``, so a
child started straight from the benchmark reports the benchmark's own peak
(over 100 MiB after the parsing section) whenever that is higher than the
child's. Started from this small process (about 10 MiB, hence ``-S``),
the command's ``ru_maxrss`` is its own.
"""

import json
import os
import sys
import time


def main() -> None:
    result_path, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawn(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    with open(result_path, "w", encoding="utf-8") as result:
        json.dump(
            {
                "seconds": elapsed,
                "exit_code": os.waitstatus_to_exitcode(status),
                # ru_maxrss is in KiB on Linux, in bytes on macOS.
                "max_rss_kib": usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1),
            },
            result,
        )


if __name__ == "__main__":
    main()
