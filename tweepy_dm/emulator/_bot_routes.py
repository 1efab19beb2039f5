"""The routes of X's bot accounts (``/2/bots``): parse, call ``_bots``, render.

Rows of the route table (:data:`ROWS`), each for the app's bearer token alone.
"""

from __future__ import annotations

from typing import Any

from tweepy_dm.emulator import _params
from tweepy_dm.emulator._dm_routes import USER_QUERY
from tweepy_dm.emulator._table import APP_ONLY, Row


def create_bot(app: Any, context: Any) -> Any:
    # 201 for a repeated create too: the spec documents no other answer.
    return 201, {"data": app.bots.create(_params.json_object(context.request))}, {}


def get_bots(app: Any, context: Any) -> Any:
    bots = app.bots
    users = bots.bots()
    data = [app.render.user(user, context.query["user.fields"], None) for user in users]
    meta = {"max_bots": bots.max_bots, "result_count": len(data)}
    return 200, {"data": data, "meta": meta} if data else {"meta": meta}, {}


def update_bot(app: Any, context: Any, id: str) -> Any:
    app.bots.update(_params.id_value("id", id), _params.json_object(context.request))
    return 200, {"data": {"updated": True}}, {}


def delete_bot(app: Any, context: Any, id: str) -> Any:
    app.bots.delete(_params.id_value("id", id))
    return 200, {"data": {"deleted": True}}, {}


def rotate_bot_token(app: Any, context: Any, id: str) -> Any:
    # The body is required but may be {} (RotateBotTokenRequest); an empty one is taken as {}.
    body = _params.json_object(context.request) if context.request.body else {}
    return 200, {"data": app.bots.rotate(_params.id_value("id", id), body)}, {}


def revoke_bot_token(app: Any, context: Any, id: str) -> Any:
    app.bots.revoke(_params.id_value("id", id))
    return 200, {"data": {"revoked": True}}, {}


#: X's bot accounts: every operation takes the app's bearer token alone (spec 2.170).
ROWS: tuple[Row, ...] = (
    Row("POST /2/bots", create_bot, auth=APP_ONLY),
    Row("GET /2/bots", get_bots, USER_QUERY, APP_ONLY),
    Row("PUT /2/bots/{id}", update_bot, auth=APP_ONLY),
    Row("DELETE /2/bots/{id}", delete_bot, auth=APP_ONLY),
    Row("POST /2/bots/{id}/token", rotate_bot_token, auth=APP_ONLY),
    Row("DELETE /2/bots/{id}/token", revoke_bot_token, auth=APP_ONLY),
)

__all__ = ["ROWS"]
