"""Fixtures of the credential tests: the bot tests' real PostgreSQL server (``postgres`` marker)."""

from __future__ import annotations

from tests.bot.conftest import postgres_server  # noqa: F401  (a session fixture, shared)
