"""The corrected query-parameter mapping, used by every endpoint of the clients."""

from __future__ import annotations

import datetime
import logging

from tweepy_dm._params import process_params

LOOKUP = ("dm_event.fields", "expansions", "max_results", "tweet.fields", "user.fields")


def test_keywords_map_to_documented_dotted_names():
    assert process_params(
        {"dm_event_fields": ["id", "text"], "tweet_fields": "id", "user_fields": ["name"]},
        LOOKUP,
    ) == {"dm_event.fields": "id,text", "tweet.fields": "id", "user.fields": "name"}


def test_lists_are_comma_joined_with_str():
    assert process_params({"expansions": ["sender_id", 1]}, LOOKUP) == {"expansions": "sender_id,1"}


def test_none_values_are_dropped():
    assert process_params({"max_results": None, "expansions": None}, LOOKUP) == {}


def test_datetimes_are_utc_strings():
    aware = datetime.datetime(
        2022, 10, 28, 4, 40, 35, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    naive = datetime.datetime(2022, 10, 28, 2, 40, 35)
    assert process_params({"start_time": aware, "end_time": naive}, ("start_time", "end_time")) == {
        "start_time": "2022-10-28T02:40:35Z",
        "end_time": "2022-10-28T02:40:35Z",
    }


def test_unexpected_parameter_is_sent_unchanged_with_one_warning(caplog):
    with caplog.at_level(logging.WARNING):
        result = process_params({"max_results": 5, "bogus_param": 1}, LOOKUP)
    assert result == {"max_results": 5, "bogus_param": 1}
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert warnings[0].getMessage() == "Unexpected parameter: bogus_param"
    assert warnings[0].name == "tweepy_dm.client"


def test_documented_parameters_do_not_warn(caplog):
    with caplog.at_level(logging.WARNING):
        process_params({"dm_event_fields": "id", "max_results": 1}, LOOKUP)
    assert caplog.records == []


def test_endpoints_without_parameters_accept_none():
    # tweepy before 4.12 passes endpoint_parameters=None for such endpoints.
    assert process_params({}, None) == {}


def test_other_tweepy_endpoints_get_the_fix_too(clients, caplog):
    """The mixin corrects _process_params for every endpoint of the client."""
    client = clients.recording((200, {"data": []}))
    with caplog.at_level(logging.WARNING):
        client.call("get_users", ids=[1, 2], user_fields=["created_at"])
    assert client.sent[0].query == (("ids", "1,2"), ("user.fields", "created_at"))
    assert not [r for r in caplog.records if "Unexpected parameter" in r.getMessage()]
