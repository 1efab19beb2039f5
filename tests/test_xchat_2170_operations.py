"""The /2/chat and /2/bots operations of X's spec 2.170 (tweepy_dm/_data), checked
against the endpoint table and the emulator's routes: every one must have both.
"""

from __future__ import annotations

import json
from importlib import resources

from tweepy_dm._endpoints import ENDPOINTS
from tweepy_dm.emulator._routes import ROUTES


def _operations():
    text = resources.files("tweepy_dm").joinpath("_data/xchat_2170_operations.json").read_text()
    return json.loads(text)["operations"]


def _key(operation):
    return f"{operation['method']} {operation['path']}"


def test_the_list_holds_spec_2170s_operations():
    operations = _operations()
    assert len(operations) == 26 + 6
    assert len({_key(item) for item in operations}) == len(operations)
    assert len({item["operationId"] for item in operations}) == len(operations)
    bots = {item["operationId"] for item in operations if item["path"].startswith("/2/bots")}
    assert bots == {
        "createBot",
        "getBots",
        "updateBot",
        "deleteBot",
        "rotateBotToken",
        "revokeBotToken",
    }


def test_every_operation_has_a_table_row_and_an_emulator_route():
    table = {route.key for row in ENDPOINTS for route in row.routes}
    for operation in _operations():
        key = _key(operation)
        assert key in table, f"{operation['operationId']} ({key}) has no endpoint row"
        assert key in ROUTES, f"{operation['operationId']} ({key}) has no emulator route"
