"""The routes of X's bot accounts (``/2/bots``): parse, call ``_bots``, render.

Each is registered in ``_routes`` for the app's bearer token only (``auth=APP_TOKEN``).
"""

from __future__ import annotations

from typing import Any

from tweepy_dm.emulator import _bots, _params

__all__ = [
    "create_bot",
    "delete_bot",
    "get_bots",
    "revoke_bot_token",
    "rotate_bot_token",
    "update_bot",
]


def _bots_of(app: Any) -> _bots.BotsBackend:
    return _bots.backend(app.store)


def create_bot(app: Any, context: Any) -> Any:
    bots = _bots_of(app)
    # 201 for a repeated create too: the spec documents no other answer.
    return 201, {"data": bots.create(_params.json_object(context.request))}, {}


def get_bots(app: Any, context: Any) -> Any:
    bots = _bots_of(app)
    users = bots.bots()
    data = [app.render.user(user, context.query["user.fields"], None) for user in users]
    meta = {"max_bots": bots.max_bots, "result_count": len(data)}
    return 200, {"data": data, "meta": meta} if data else {"meta": meta}, {}


def update_bot(app: Any, context: Any, id: str) -> Any:
    bots = _bots_of(app)
    bots.update(_params.id_value("id", id), _params.json_object(context.request))
    return 200, {"data": {"updated": True}}, {}


def delete_bot(app: Any, context: Any, id: str) -> Any:
    bots = _bots_of(app)
    bots.delete(_params.id_value("id", id))
    return 200, {"data": {"deleted": True}}, {}


def rotate_bot_token(app: Any, context: Any, id: str) -> Any:
    bots = _bots_of(app)
    # The body is required but may be {} (RotateBotTokenRequest); an empty one is taken as {}.
    body = _params.json_object(context.request) if context.request.body else {}
    return 200, {"data": bots.rotate(_params.id_value("id", id), body)}, {}


def revoke_bot_token(app: Any, context: Any, id: str) -> Any:
    bots = _bots_of(app)
    bots.revoke(_params.id_value("id", id))
    return 200, {"data": {"revoked": True}}, {}
