"""The servers the benchmarks talk to, each in a process of its own.

- :class:`EmulatorProcess`: an in-memory ``tweepy_dm.emulator.DMEmulator``
  (rate limits off) that registers users and seeds 1:1 conversations through
  its ``seed_messages`` back door before anything is timed.
- :class:`BareServerProcess`: a bare ``http.server`` (the same
  ``ThreadingHTTPServer`` and HTTP/1.1 keep-alive handler settings as the
  emulator) that answers each known request target with bytes recorded from
  the emulator: the floor against which the emulator's own work is measured.

Run as a script (``_servers.py emulator SPEC`` or ``_servers.py bare FILE``),
each prints one JSON line (its URL and what the parent needs) and serves
until its stdin is closed.

A server must not share the benchmark's process: its request handling
would otherwise count towards the client's CPU time and compete with it for
the GIL.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A message as long as a typical chat line, so pages have realistic sizes.
MESSAGE_TEXT = "Message {i}: see you at the station at 6, and bring the tickets please"

# Headers http.server writes itself (send_response) or that must be fresh.
_OWN_HEADERS = {"server", "date", "connection", "keep-alive"}


class _ServerProcess:
    """A server script in a child process; use as a context manager."""

    kind = ""

    def __init__(self, argument: str) -> None:
        self.argument = argument

    def __enter__(self) -> Any:
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), self.kind, self.argument],
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
            raise RuntimeError(f"the {self.kind} process failed (exit {self.process.returncode})")
        self.info = json.loads(line)
        self.url: str = self.info["url"]
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stdin.close()  # the server's cue to stop
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stdout.close()


class EmulatorProcess(_ServerProcess):
    """The emulator, seeded with 1:1 conversations.

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

    kind = "emulator"

    def __init__(self, conversations: list[tuple[int, int, int]]) -> None:
        super().__init__(json.dumps({"conversations": conversations}))

    def __enter__(self) -> EmulatorProcess:
        super().__enter__()
        self.users = {int(user_id): creds for user_id, creds in self.info["users"].items()}
        self.seed_seconds: float = self.info["seed_seconds"]
        return self


class BareServerProcess(_ServerProcess):
    """A bare ``http.server`` answering recorded responses.

    Parameters
    ----------
    answers_path : str
        A JSON file: request target (path and query) -> ``{"status": int,
        "headers": [[name, value], ...], "body": base64}``.
    """

    kind = "bare"


def record_answer(response: Any) -> dict[str, Any]:
    """What :class:`BareServerProcess` needs to send ``response`` (a requests one) again."""
    return {
        "status": response.status_code,
        "headers": [
            [name, value]
            for name, value in response.raw.headers.items()
            if name.lower() not in _OWN_HEADERS
        ],
        "body": base64.b64encode(response.content).decode("ascii"),
    }


def _serve_until_stdin_closes(server: ThreadingHTTPServer, info: dict[str, Any]) -> None:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(json.dumps(info), flush=True)
    sys.stdin.read()  # serve until the parent closes our stdin
    server.shutdown()
    server.server_close()


def _serve_emulator(spec: dict[str, Any]) -> None:
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
        sys.stdin.read()


class _BareHandler(BaseHTTPRequestHandler):
    # The emulator's settings: keep-alive, and no Nagle (see its Handler).
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    answers: ClassVar[dict[str, tuple[int, list[tuple[str, str]], bytes]]] = {}

    def do_GET(self) -> None:
        answer = self.answers.get(self.path)
        if answer is None:
            self.send_error(404)
            return
        status, headers, body = answer
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        # Head and body in one write, as the emulator sends them, so that
        # neither side pays a system call (or a TCP segment) the other doesn't.
        self._headers_buffer.append(b"\r\n")
        self._headers_buffer.append(body)
        self.flush_headers()

    def do_POST(self) -> None:
        # The body is read (as the emulator reads it) and the recorded answer sent.
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _serve_bare(answers_path: str) -> None:
    with open(answers_path, encoding="utf-8") as file:
        answers = json.load(file)
    _BareHandler.answers = {
        target: (
            answer["status"],
            [(name, value) for name, value in answer["headers"]],
            base64.b64decode(answer["body"]),
        )
        for target, answer in answers.items()
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BareHandler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    _serve_until_stdin_closes(server, {"url": f"http://{host}:{port}"})


if __name__ == "__main__":
    if sys.argv[1] == "emulator":
        _serve_emulator(json.loads(sys.argv[2]))
    else:
        _serve_bare(sys.argv[2])
