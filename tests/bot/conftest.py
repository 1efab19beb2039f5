"""Fixtures of the bot runtime's tests: stores (SQLite everywhere, a real PostgreSQL server
under the ``postgres`` marker), an emulator with a clock the test moves, bot users."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

import tweepy_dm
from tweepy_dm.emulator import DMEmulator

BOT_ID = "1000"
ALICE_ID = "2000"
BOB_ID = "3000"


def _binary(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(
            f"PostgreSQL's {name} is not installed: apt-get install postgresql "
            "(.ci/run installs it)"
        )
    return candidates[-1]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster: initdb and pg_ctl on a temporary directory."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="tweepy-dm-pg-")
        self.data = os.path.join(self.root, "data")
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            _binary("initdb"),
            "-D",
            self.data,
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()
        self._databases = itertools.count()

    def start(self):
        self._run(
            _binary("pg_ctl"),
            "-D",
            self.data,
            "-l",
            os.path.join(self.root, "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.root} -h 127.0.0.1 -F -c max_connections=200",
            "start",
        )

    def halt(self):
        """Stop the server as a crash would (its clients' connections die); start() again."""
        self._run(_binary("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")

    def _run(self, *command):
        if self._as_postgres:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def url(self, database="postgres"):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self):
        import psycopg

        name = f"bot{next(self._databases)}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self):
        try:
            self._run(_binary("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    if os.environ.get("CI"):
        import psycopg  # noqa: F401  (in CI a missing driver is a failure, never a skip)
    pytest.importorskip("psycopg", reason="the postgres tests need tweepy-dm[postgres]")
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/bot.db"
    return request.getfixturevalue("postgres_server").new_database()


class Users:
    def __init__(self, emulator):
        self.emulator = emulator
        self.credentials = {
            user_id: emulator.add_user(user_id, name, name.title())
            for user_id, name in ((BOT_ID, "bot"), (ALICE_ID, "alice"), (BOB_ID, "bob"))
        }

    def client(self, user_id):
        return tweepy_dm.Client(api_url=self.emulator.url, **self.credentials[user_id])

    def texts_in(self, user_a, user_b, sender):
        """The texts ``sender`` sent in the 1:1 conversation, oldest first."""
        response = self.client(user_a).get_dm_events(
            participant_id=user_b if user_a != user_b else None,
            dm_event_fields=["text", "sender_id"],
            max_results=100,
        )
        return [e.text for e in reversed(response.data or []) if str(e.sender_id) == sender]


@pytest.fixture
def xchat_emulator(clock):
    """The bot, Alice and Bob as XChat users, with legacy DMs off (needs chatxdk)."""
    with DMEmulator(clock=clock, legacy_dms="off") as emulator:
        for user_id, name in ((BOT_ID, "bot"), (ALICE_ID, "alice"), (BOB_ID, "bob")):
            emulator.add_user(user_id, name, name.title(), xchat=True)
        yield emulator


@pytest.fixture
def users(emulator):
    return Users(emulator)
