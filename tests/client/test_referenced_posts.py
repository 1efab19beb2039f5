"""A DM event's linked Tweets, under either name X may send them."""

from __future__ import annotations

import pytest

from tweepy_dm import DirectMessageEvent
from tweepy_dm._models import ReferencedTweet

EVENT = {"id": "1585823814058971140", "event_type": "MessageCreate", "text": "see this"}


@pytest.mark.parametrize("key", ["referenced_tweets", "referenced_posts"])
def test_linked_tweets_become_referenced_tweets(key):
    event = DirectMessageEvent({**EVENT, key: [{"id": "20"}, {"id": "21", "type": "quoted"}]})
    assert all(isinstance(tweet, ReferencedTweet) for tweet in event.referenced_tweets)
    assert [(tweet.id, tweet.type) for tweet in event.referenced_tweets] == [
        (20, None),
        (21, "quoted"),
    ]
    # The JSON stays as X sent it.
    assert key in event.data


def test_the_documented_name_wins_when_both_are_sent():
    event = DirectMessageEvent(
        {**EVENT, "referenced_tweets": [{"id": "20"}], "referenced_posts": [{"id": "99"}]}
    )
    assert [tweet.id for tweet in event.referenced_tweets] == [20]


def test_no_linked_tweets():
    assert DirectMessageEvent(EVENT).referenced_tweets is None
    assert DirectMessageEvent({**EVENT, "referenced_posts": None}).referenced_tweets is None
