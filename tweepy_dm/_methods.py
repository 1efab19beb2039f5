"""Client methods made from the endpoint table, and their type stubs.

:func:`add_methods` gives a mixin class one method per row of
:data:`tweepy_dm._endpoints.ENDPOINTS` (and its aliases), each a thin wrapper
that sends what the row's builder returns through the transport the class
provides. Type checkers cannot see methods made at run time, so
:func:`render_stub` writes them out as ``_signatures.pyi``, a stub-only module
the mixins inherit from under ``TYPE_CHECKING``; run ``python
scripts/generate_signatures.py`` after changing the table (a test fails until you do).
"""

from __future__ import annotations

import functools
import inspect
import pathlib
from collections.abc import Mapping
from typing import Any, Callable

from tweepy_dm._endpoints import ENDPOINTS, with_params

STUB_PATH = pathlib.Path(__file__).with_name("_signatures.pyi")


def client_method(
    build: Callable[..., Any], send: Callable[[Any, Any], Any], *, extra_params: bool = False
) -> Callable[..., Any]:
    """Make a client method out of a request builder and a transport.

    The method has the builder's name, docstring and signature (with
    ``self``), so tweepy's paginators, ``help()`` and Sphinx see it as if it
    had been written out by hand. ``send`` may be a coroutine function, in
    which case the method is one too. With ``extra_params``, the method also
    takes ``**params`` as tweepy's lookups do: keywords the builder does not
    declare are added to the query as given (see :func:`with_params`).
    """
    signature = inspect.signature(build)
    prepare = _with_extra_params(build, signature) if extra_params else build
    if inspect.iscoroutinefunction(send):

        async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            return await send(self, prepare(*args, **kwargs))

    else:

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            return send(self, prepare(*args, **kwargs))

    functools.update_wrapper(method, build)
    del method.__wrapped__  # the builder takes no self; show __signature__
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = [self_parameter, *signature.parameters.values()]
    if extra_params:
        parameters.append(inspect.Parameter("params", inspect.Parameter.VAR_KEYWORD))
    method.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters,
        # What comes back depends on the client's return_type, not the builder.
        return_annotation=inspect.Signature.empty,
    )
    return method


def _with_extra_params(
    build: Callable[..., Any], signature: inspect.Signature
) -> Callable[..., Any]:
    declared = frozenset(signature.parameters)

    def prepare(*args: Any, **kwargs: Any) -> Any:
        # The builder checks what it declares; the rest goes out unchecked, as in
        # tweepy, whose _process_params then logs "Unexpected parameter".
        known = {name: value for name, value in kwargs.items() if name in declared}
        extra = {name: value for name, value in kwargs.items() if name not in declared}
        return with_params(build(*args, **known), extra)

    return prepare


def add_methods(cls: type, transports: Mapping[str, Callable[[Any, Any], Any]]) -> type:
    """Give ``cls`` every method of the endpoint table, sent with ``transports[row.transport]``."""
    for endpoint in ENDPOINTS:
        method = client_method(
            endpoint.build, transports[endpoint.transport], extra_params=endpoint.extra_params
        )
        method.__qualname__ = f"{cls.__qualname__}.{endpoint.name}"
        for name in (endpoint.name, *endpoint.aliases):
            setattr(cls, name, method)
    return cls


_STUB_HEADER = '''\
"""The client methods of the endpoint table, as type checkers see them."""

# Generated from tweepy_dm._endpoints.ENDPOINTS by scripts/generate_signatures.py:
# do not edit. The client mixins inherit these signatures under TYPE_CHECKING.
from collections.abc import Iterable
from typing import Any, Generic, Optional, TypeVar

from tweepy_dm._endpoints import ID, Fields, When
from tweepy_dm._media import Progress

R = TypeVar("R")

class DirectMessagesMethods(Generic[R]):
    """The endpoint table's methods; ``R`` is what a call returns (a coroutine when async)."""

'''


def _parameter(parameter: inspect.Parameter) -> str:
    text = parameter.name
    if parameter.annotation is not inspect.Parameter.empty:
        text += f": {parameter.annotation}"
    if parameter.default is not inspect.Parameter.empty:
        text += " = ..."
    return text


def render_stub() -> str:
    """The text of ``_signatures.pyi`` for the current endpoint table."""
    lines = []
    for endpoint in ENDPOINTS:
        parameters = ["self"]
        keyword_only = False
        for parameter in inspect.signature(endpoint.build).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and not keyword_only:
                parameters.append("*")
                keyword_only = True
            parameters.append(_parameter(parameter))
        lines.append(f"    def {endpoint.name}(")
        lines.extend(f"        {parameter}," for parameter in parameters)
        lines.append("    ) -> R: ...")
        lines.extend(f"    {alias} = {endpoint.name}" for alias in endpoint.aliases)
    return _STUB_HEADER + "\n".join(lines) + "\n"
