"""Load from several client processes at once, for the emulator capacity benchmark.

Threads of one Python client take turns holding its interpreter lock, so a
threaded ``requests`` client cannot send faster than one thread does: with
4 threads, the bare ``http.server`` gets no more requests per second than
from one (``benchmarks/run.py`` shows both figures). Whether a server
serves concurrent clients as fast as one is a question for clients in
processes of their own.

:class:`LoadProcesses` starts its clients (this file, run as a script), each
with a keep-alive ``requests`` session, before anything is timed; a batch
starts when every client has its word, and ends when the last one is done.

Run as a script it is one client: it reads its headers as one JSON line on
stdin, then, for each line ``URL COUNT``, GETs ``URL`` ``COUNT`` times and
writes ``ok`` (or the first unexpected answer) on stdout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any


class LoadProcesses:
    """``count`` client processes; use as a context manager."""

    def __init__(self, count: int, headers: dict[str, str]) -> None:
        self.count = count
        self.headers = headers

    def __enter__(self) -> LoadProcesses:
        self.processes = [
            subprocess.Popen(
                [sys.executable, os.path.abspath(__file__)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
            for _ in range(self.count)
        ]
        for process in self.processes:
            assert process.stdin is not None
            # On stdin, not argv: a token in argv is visible to every user's ps.
            process.stdin.write(json.dumps(self.headers) + "\n")
        for process in self.processes:
            self._answer(process)  # each has imported requests and is ready
        return self

    def __exit__(self, *exc_info: Any) -> None:
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.close()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            assert process.stdout is not None
            process.stdout.close()

    def _answer(self, process: subprocess.Popen) -> None:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if line != "ok":
            raise RuntimeError(f"a load process failed: {line or 'it exited'}")

    def requests_per_second(self, url: str, total: int) -> float:
        """GET ``url`` ``total`` times, shared among the processes; requests per second."""
        shares = [total // self.count + (index < total % self.count) for index in range(self.count)]
        # One warm-up request each, untimed: every connection is open before the clock starts.
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write(f"{url} 1\n")
        for process in self.processes:
            self._answer(process)
        started = time.perf_counter()
        for process, share in zip(self.processes, shares):
            assert process.stdin is not None
            process.stdin.write(f"{url} {share}\n")
        for process in self.processes:
            self._answer(process)
        return total / (time.perf_counter() - started)


def _client() -> None:
    import requests

    session = requests.Session()
    session.headers.update(json.loads(sys.stdin.readline()))
    print("ok", flush=True)
    for line in sys.stdin:
        url, count = line.split()
        failure = ""
        for _ in range(int(count)):
            response = session.get(url, timeout=30)
            if response.status_code != 200:
                failure = f"{response.status_code} {response.text[:200]}"
                break
        print(failure.replace("\n", " ") or "ok", flush=True)


if __name__ == "__main__":
    _client()
