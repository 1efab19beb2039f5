"""A DMEmulator in its own process, seeded through its back door, for the benchmarks.

Run as a script, it starts an in-memory ``tweepy_dm.emulator.DMEmulator``
(rate limits off), registers the users and seeds the 1:1 conversations
described by a JSON spec given as its only argument, prints one JSON line
(the URL, every user's credentials and how long seeding took) and serves
until its stdin is closed. The parent side is :class:`EmulatorProcess`.

The server must not share the benchmark's process: its request handling
would otherwise count towards the client's CPU time and compete with it for
the GIL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A message as long as a typical chat line, so pages have realistic sizes.
MESSAGE_TEXT = "Message {i}: see you at the station at 6, and bring the tickets please"


class EmulatorProcess:
    """Start the emulator in a child process; use as a context manager.

    Parameters
    ----------
    conversations : list of (int, int, int)
        ``(user_a, user_b, count)``: register both users (if need be) and
        seed ``count`` messages into their 1:1 conversation.

    Attributes
    ----------
    url : str
        The emulator's base URL (loopback only).
    users : dict
        Credentials by user id (as ``int``), as ``DMEmulator.add_user`` returns them.
    seed_seconds : float
        Wall time the server spent seeding every message.
    """

    def __init__(self, conversations: list[tuple[int, int, int]]) -> None:
        self.spec = json.dumps({"conversations": conversations})

    def __enter__(self) -> EmulatorProcess:
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), self.spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        # Both pipes exist (PIPE was asked for); the asserts tell type checkers.
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        line = self.stdout.readline()
        if not line:
            self.process.wait(timeout=10)
            raise RuntimeError(f"the emulator process failed (exit {self.process.returncode})")
        info = json.loads(line)
        self.url: str = info["url"]
        self.users = {int(user_id): creds for user_id, creds in info["users"].items()}
        self.seed_seconds: float = info["seed_seconds"]
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stdin.close()  # the server's cue to stop
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stdout.close()


def _serve(spec: dict[str, Any]) -> None:
    sys.path.insert(0, ROOT)
    from tweepy_dm.emulator import DMEmulator

    with DMEmulator(host="127.0.0.1", rate_limits=False) as emulator:
        users: dict[str, dict[str, str]] = {}
        started = time.perf_counter()
        for user_a, user_b, count in spec["conversations"]:
            for user_id in (user_a, user_b):
                users[str(user_id)] = emulator.add_user(
                    user_id, f"user{user_id}", f"User {user_id}"
                )
            emulator.seed_messages(
                DMEmulator.conversation_id(user_a, user_b), count, text=MESSAGE_TEXT
            )
        seed_seconds = time.perf_counter() - started
        print(
            json.dumps({"url": emulator.url, "users": users, "seed_seconds": seed_seconds}),
            flush=True,
        )
        sys.stdin.read()  # serve until the parent closes our stdin


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
