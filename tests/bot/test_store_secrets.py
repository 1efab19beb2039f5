"""No PostgreSQL password in a repr, in status() or in ``tweepy-dm bot status``, whatever the
form of the store's URL."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests.bot.conftest import BOT_ID
from tweepy_dm.bot import DMBot
from tweepy_dm.bot._store import redact

SECRET = "s3cr3t-pw"
FORMS = {
    "userinfo": "postgresql://postgres:{pw}@{host}:{port}/{db}",
    "query": "postgresql://postgres@{host}:{port}/{db}?sslmode=disable&password={pw}",
    "dsn": "host={host} port={port} dbname={db} user=postgres password={pw}",
    "quoted dsn": "host={host} port={port} dbname={db} user=postgres password='{pw} x'",
}


def _url(form, host="db.example", port=5432, db="bot"):
    return FORMS[form].format(pw=SECRET, host=host, port=port, db=db)


@pytest.mark.parametrize("form", FORMS)
def test_redact_keeps_everything_but_the_password(form):
    shown = redact(_url(form))
    assert SECRET not in shown
    assert "***" in shown
    assert "db.example" in shown
    assert "bot" in shown


@pytest.mark.parametrize("form", FORMS)
def test_no_password_in_the_repr_of_a_bot_or_its_store(form, users):
    pytest.importorskip("psycopg", reason="the PostgreSQL store needs tweepy-dm[postgres]")
    from tweepy_dm.bot._runtime import open_store

    bot = DMBot(store=_url(form), clients={BOT_ID: users.client(BOT_ID)})
    assert SECRET not in repr(bot)
    store = open_store(_url(form))  # opening connects to nothing yet
    assert type(store).__name__ == "PostgresStore"
    assert SECRET not in repr(store)
    assert SECRET not in store.url


@pytest.mark.postgres
@pytest.mark.parametrize("form", FORMS)
def test_no_password_in_status_or_the_cli(form, postgres_server, users, clock):
    from click.testing import CliRunner

    from tweepy_dm.cli._app import cli

    live = urlsplit(postgres_server.new_database())  # the server trusts, ignoring passwords
    url = _url(form, host=live.hostname, port=live.port, db=live.path.lstrip("/"))
    bot = DMBot(store=url, clients={BOT_ID: users.client(BOT_ID)}, clock=clock)
    try:
        report = bot.status()
    finally:
        bot.close()
    assert SECRET not in json.dumps(report)
    assert live.hostname in report["store"]
    for arguments in (["--json"], []):
        result = CliRunner().invoke(cli, ["bot", "status", "--store", url, *arguments])
        assert result.exit_code == 0, result.output
        assert SECRET not in result.output
        assert "***" in result.output
