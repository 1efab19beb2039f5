"""GET /2/activity/stream through the emulator's HTTP layer: never idle-timed out, slot freed."""

from __future__ import annotations

import socket
import time

from tweepy_dm.emulator import DMEmulator


def _open_stream(emulator: DMEmulator) -> socket.socket:
    host, port = emulator.url.split("://", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    sock.sendall(
        b"GET /2/activity/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + emulator.app_bearer_token.encode()
        + b"\r\n\r\n"
    )
    return sock


def _read_for(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """What arrives within ``seconds``, and whether the server closed the connection."""
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            return received, True
        received += chunk
    return received, False


def test_the_activity_stream_outlives_the_idle_timeout():
    # Real sockets, real seconds: an idle timeout of 0.1 s and heartbeats every 0.2 s.
    with DMEmulator(stream_heartbeat=0.2, idle_timeout=0.1) as emulator:
        with _open_stream(emulator) as sock:
            received, closed = _read_for(sock, 0.7)
        assert received.startswith(b"HTTP/1.1 200 ")
        assert b"transfer-encoding: chunked" in received.lower()
        assert not closed
        # Heartbeats came as chunks of a blank line, past several idle timeouts.
        assert received.count(b"2\r\n\r\n\r\n") >= 2


def test_a_closed_stream_frees_its_connection_slot():
    with DMEmulator(stream_heartbeat=30.0) as emulator:
        # X allows two connections per app: each new one needs the last one's slot back.
        for _ in range(4):
            deadline = time.monotonic() + 5
            while True:
                with _open_stream(emulator) as sock:
                    received, _ = _read_for(sock, 0.1)
                if received.startswith(b"HTTP/1.1 200 "):
                    break
                assert received.startswith(b"HTTP/1.1 429 "), received
                assert time.monotonic() < deadline, "the slot of a closed stream was never freed"
