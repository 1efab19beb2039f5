"""User lookups: what tweepy's get_me, get_user and get_users ask the emulator."""

from __future__ import annotations

import pytest
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.emulator.conftest import ALICE, BOB, CAROL, START, Api, assert_problem
from tweepy_dm.emulator import DMEmulator

EVERY_FIELD = (
    "created_at,description,name,profile_image_url,protected,username,verified,receives_your_dm"
)
DEFAULT_IMAGE = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
MISSING = "1585800613253812228"


def _not_found(parameter, value):
    return {
        "value": value,
        "detail": f"Could not find user with {parameter}: [{value}].",
        "title": "Not Found Error",
        "resource_type": "user",
        "parameter": parameter,
        "resource_id": value,
        "type": "https://api.x.com/2/problems/resource-not-found",
    }


def test_me_with_every_user_field(users):
    alice = users[0]
    response = alice.get("/2/users/me", params={"user.fields": EVERY_FIELD})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {
            "id": ALICE,
            "name": "Alice",
            "username": "alice",
            "created_at": "2023-11-14T22:13:20.000Z",
            "description": "",
            "profile_image_url": DEFAULT_IMAGE,
            "protected": False,
            "verified": False,
            "receives_your_dm": False,  # nobody can DM themselves here
        }
    }
    assert alice.get("/2/users/me", bearer=True).json() == {
        "data": {"id": ALICE, "name": "Alice", "username": "alice"}
    }
    assert response.headers["x-rate-limit-limit"] == "75"


def test_receives_your_dm_follows_blocks(users):
    alice, bob, _ = users
    params = {"user.fields": "receives_your_dm"}
    assert alice.get(f"/2/users/{BOB}", params=params).json()["data"]["receives_your_dm"] is True
    bob.post(f"/2/users/{ALICE}/dm/block")
    assert alice.get(f"/2/users/{BOB}", params=params).json()["data"]["receives_your_dm"] is False
    # bob blocked alice, not the other way round.
    assert bob.get(f"/2/users/{ALICE}", params=params).json()["data"]["receives_your_dm"] is True


def test_lookups_by_id_and_username(users):
    alice = users[0]
    by_id = alice.get(f"/2/users/{BOB}").json()
    assert by_id == {"data": {"id": BOB, "name": "Bob", "username": "bob"}}
    assert alice.get("/2/users/by/username/BOB").json() == by_id  # usernames ignore case
    listed = alice.get("/2/users", params={"ids": f"{BOB},{MISSING},{CAROL}"}).json()
    assert [user["id"] for user in listed["data"]] == [BOB, CAROL]
    assert listed["errors"] == [_not_found("ids", MISSING)]
    named = alice.get("/2/users/by", params={"usernames": "carol,nobody,alice"}).json()
    assert [user["username"] for user in named["data"]] == ["carol", "alice"]
    assert named["errors"] == [_not_found("usernames", "nobody")]


def test_unknown_users_are_200_with_errors(users):
    alice = users[0]
    for path, parameter, value in (
        (f"/2/users/{MISSING}", "id", MISSING),
        ("/2/users/by/username/nobody", "username", "nobody"),
    ):
        response = alice.get(path)
        assert response.status_code == 200, response.text
        assert response.json() == {"errors": [_not_found(parameter, value)]}
    response = alice.get("/2/users", params={"ids": MISSING})
    assert response.json() == {"errors": [_not_found("ids", MISSING)]}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/2/users/abc", {}),
        ("/2/users/12345678901234567890", {}),
        ("/2/users/by/username/bad-name", {}),
        ("/2/users/by/username/a_name_too_long_", {}),
        ("/2/users", {}),
        ("/2/users", {"ids": ""}),
        ("/2/users", {"ids": "1,x"}),
        ("/2/users", {"ids": ",".join(map(str, range(1, 102)))}),
        ("/2/users/by", {"usernames": "bob,"}),
        ("/2/users/me", {"user.fields": "nope"}),
        ("/2/users/me", {"expansions": "sender_id"}),
        ("/2/users/me", {"max_results": "5"}),
    ],
)
def test_malformed_lookups_are_400(users, path, params):
    assert_problem(users[0].get(path, params=params), 400, errors=True)


def test_app_only_token_may_look_users_up_but_has_no_me(emulator, users):
    app = Api(emulator.url, {**users[0].credentials, "bearer_token": emulator.app_bearer_token}, "")
    assert app.get(f"/2/users/{BOB}", bearer=True).json()["data"]["username"] == "bob"
    data = app.get("/2/users/by/username/bob", bearer=True, params={"user.fields": EVERY_FIELD})
    assert "receives_your_dm" not in data.json()["data"]  # there is no "you"
    body = assert_problem(app.get("/2/users/me", bearer=True), 403)
    assert body["title"] == "Unsupported Authentication"


def test_x_user_lookup_limits(clock):
    with DMEmulator(clock=clock, rate_limits=True) as emulator:
        alice = Api(emulator.url, emulator.add_user(ALICE, "alice", "Alice"), ALICE)
        emulator.add_user(BOB, "bob", "Bob")
        for _ in range(75):
            assert alice.get("/2/users/me").status_code == 200
        refused = alice.get("/2/users/me")
        assert_problem(refused, 429)
        assert refused.headers["x-rate-limit-reset"] == str(int(START + 900))
        response = alice.get(f"/2/users/{BOB}")
        assert response.headers["x-rate-limit-limit"] == "900"
        assert response.headers["x-rate-limit-remaining"] == "899"


def test_the_app_only_token_has_x_per_app_limit(clock):
    with DMEmulator(clock=clock, rate_limits=True) as emulator:
        credentials = emulator.add_user(BOB, "bob", "Bob")
        app = Api(emulator.url, {**credentials, "bearer_token": emulator.app_bearer_token}, "")
        for remaining in (299, 298):
            response = app.get(f"/2/users/{BOB}", bearer=True)
            assert response.headers["x-rate-limit-limit"] == "300"
            assert response.headers["x-rate-limit-remaining"] == str(remaining)
        for _ in range(298):
            assert app.get(f"/2/users/{BOB}", bearer=True).status_code == 200
        assert_problem(app.get(f"/2/users/{BOB}", bearer=True), 429)
        # A user's token on the same endpoint has its own, per-user budget.
        assert Api(emulator.url, credentials, BOB).get(f"/2/users/{BOB}").status_code == 200


def test_tweepys_own_user_methods_work_against_the_emulator(dm_emulator, dm_users):
    alice, bob = dm_users
    client = tweepy_dm.Client(api_url=dm_emulator.url, **alice.credentials)
    me = client.get_me(user_fields=["created_at", "receives_your_dm"])
    assert isinstance(me.data, tweepy.User)
    assert (me.data.id, me.data.username, me.data.name) == (int(alice.id), "alice", "Alice")
    assert me.data.created_at is not None
    assert client.get_user(id=bob.id).data.username == "bob"
    assert client.get_user(username="bob", user_auth=True).data.id == int(bob.id)
    users = client.get_users(ids=[alice.id, bob.id], user_fields="description")
    assert [user.username for user in users.data] == ["alice", "bob"]
    assert client.get_users(usernames=["bob"]).data[0].id == int(bob.id)
    missing = client.get_user(id=MISSING)
    assert missing.data is None
    assert missing.errors[0]["title"] == "Not Found Error"


@requires_async
@pytest.mark.asyncio
async def test_tweepy_async_get_me(dm_emulator, dm_users):
    alice, _ = dm_users
    client = tweepy_dm.AsyncClient(api_url=dm_emulator.url, **alice.credentials)
    me = await client.get_me()
    assert me.data.username == "alice"
    close = getattr(client, "close", None)
    if close is not None:
        await close()


@pytest.mark.parametrize("bearer", [True, False], ids=["OAuth 2.0", "OAuth 1.0a"])
def test_me_after_add_user_renames_the_caller(emulator, users, bearer):
    # The store keeps users by token between requests; a rename must reach them.
    alice = users[0]
    assert alice.get("/2/users/me", bearer=bearer).json()["data"]["username"] == "alice"
    emulator.add_user(ALICE, "alice_renamed", "Alice R.")
    data = alice.get("/2/users/me", bearer=bearer).json()["data"]
    assert (data["username"], data["name"]) == ("alice_renamed", "Alice R.")
