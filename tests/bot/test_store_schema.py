"""A bot store records its schema; a store of another schema is refused with a clear error."""

from __future__ import annotations

import pytest

from tweepy_dm.bot import _store
from tweepy_dm.bot._runtime import open_store

NOW = 1_800_000_000.0


def test_a_new_store_records_its_schema_and_opens_again(store_url):
    store = open_store(store_url)
    store.setup(NOW)
    assert store.get_meta("schema") == _store.SCHEMA_VERSION
    again = open_store(store_url)
    again.setup(NOW + 60)
    assert again.created_at() == NOW


@pytest.mark.parametrize(("recorded", "shown"), [("2", "schema 2"), (None, "schema unknown")])
def test_a_store_of_another_schema_is_refused_before_any_work(store_url, recorded, shown):
    store = open_store(store_url)
    store.setup(NOW)
    with store.transaction() as cursor:
        if recorded is None:
            cursor.execute("DELETE FROM meta WHERE key = 'schema'")
        else:
            cursor.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (recorded,))
    with pytest.raises(ValueError, match=shown) as caught:
        open_store(store_url).setup(NOW)
    assert f"reads schema {_store.SCHEMA_VERSION}" in str(caught.value)
