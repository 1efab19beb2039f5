"""Which handler gets a message: commands, patterns, predicates and conversations. No I/O."""

from __future__ import annotations

import inspect
import json
import logging
import re
from collections.abc import Sequence
from typing import Any, Callable, NamedTuple, Optional, Union

from tweepy_dm.bot._store import ConversationRow

log = logging.getLogger("tweepy_dm.bot")

Pattern = Union[str, "re.Pattern[str]"]
Test = Callable[[Any], bool]


class _End:
    def __repr__(self) -> str:
        return "END"


#: What a conversation's handler returns to end the conversation.
END: Any = _End()


def takes_message(handler: Callable[..., Any]) -> bool:
    """Whether a handler is called ``handler(message, context)``, not ``handler(context)``."""
    try:
        parameters = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):  # a builtin or C callable: today's form
        return True
    positional = [
        p
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in parameters)
    return len(positional) >= 2 or (varargs and len(positional) < 2)


def _check_callable(name: str, value: Any) -> None:
    if not callable(value):
        raise TypeError(f"{name} must be callable, not {type(value).__name__}")


def _command_name(command: Any) -> str:
    if not isinstance(command, str):
        raise TypeError(f"command must be a str such as 'help', not {type(command).__name__}")
    name = command[1:] if command.startswith("/") else command
    if not name or any(c.isspace() for c in name):
        raise ValueError(f"command must be one word such as 'help' or '/help', not {command!r}")
    return name.casefold()


def make_test(
    command: Optional[str] = None, text: Optional[Pattern] = None, when: Optional[Test] = None
) -> Optional[Test]:
    """A message test from a handler's filters (all must hold), or None when there are none.

    A test that holds sets ``context.args`` (a command's words after it) and
    ``context.match`` (the pattern's match) before ``when`` sees the context.
    """
    name = None if command is None else _command_name(command)
    pattern: Optional[re.Pattern[str]] = None
    if text is not None:
        if isinstance(text, re.Pattern):
            pattern = text
        elif isinstance(text, str):
            try:
                pattern = re.compile(text)
            except re.error as error:
                raise ValueError(
                    f"text is not a valid regular expression ({error}): {text!r}"
                ) from None
        else:
            raise TypeError(
                f"text must be a regular expression (str or re.Pattern), not {type(text).__name__}"
            )
    if when is not None:
        _check_callable("when", when)
    if name is None and pattern is None and when is None:
        return None

    def test(context: Any) -> bool:
        words = context.text.split()
        args: list[str] = []
        if name is not None:
            if not words or words[0].casefold() not in (name, f"/{name}"):
                return False
            args = words[1:]
        match = None
        if pattern is not None:
            match = pattern.search(context.text)
            if match is None:
                return False
        context.args, context.match = args, match
        if when is not None and not when(context):
            context.args, context.match = [], None
            return False
        return True

    return test


class Route(NamedTuple):
    test: Optional[Test]
    handler: Callable[..., Any]
    flow: Optional[Conversation] = None


class Choice(NamedTuple):
    """The handler a message goes to, and the conversation (and its state) it runs in."""

    handler: Callable[..., Any]
    flow: Optional[Conversation]
    state: Optional[str]  # the state it was in; None for an entry point or no conversation


def _first(routes: Sequence[Route], context: Any) -> Optional[Route]:
    for route in routes:
        if route.test is None or route.test(context):
            return route
    return None


class Conversation:
    """A conversation's states and their handlers, made by :meth:`tweepy_dm.DMBot.conversation`.

    Each handler gets the :class:`~tweepy_dm.bot.Context` (or the message and
    the context, as ``@bot.on_direct_message`` handlers do) and returns the
    next state's name, :attr:`END` to end the conversation, or ``None`` to stay
    in the state it is in (an entry point that returns ``None`` starts
    nothing). ``context.data`` is the conversation's data, kept in the bot's
    store with its state.

    In a state, handlers with a filter are tried first (the state's, then the
    fallbacks'), then those without (the state's, then the fallbacks'); the
    first that matches handles the message. A message that none matches goes
    to the bot's other handlers. Outside any state, entry points are tried
    among the bot's handlers, in the order they were registered.

    .. versionadded:: 0.2
    """

    #: Returned by a handler to end the conversation.
    END = END

    def __init__(self, router: Router, name: str, timeout: Optional[float]) -> None:
        self._router = router
        self.name = name
        self.timeout = timeout
        self.states: dict[str, list[Route]] = {}
        self.fallbacks: list[Route] = []
        self.timeout_handler: Optional[Callable[..., Any]] = None

    def __repr__(self) -> str:
        return f"<Conversation {self.name!r} states={sorted(self.states)}>"

    def entry(
        self,
        handler: Optional[Callable[..., Any]] = None,
        *,
        command: Optional[str] = None,
        text: Optional[Pattern] = None,
        when: Optional[Test] = None,
    ) -> Any:
        """Decorator: a handler that starts the conversation.

        ``@flow.entry`` alone starts it on any message; ``command=``, ``text=``
        and ``when=`` filter as in :meth:`tweepy_dm.DMBot.on_direct_message`.

        .. versionadded:: 0.2

        Parameters
        ----------
        command : str | None
            A message whose first word is ``/command`` or ``command`` (any case).
        text : str | re.Pattern | None
            A regular expression searched in the message's text.
        when : Callable[[Context], bool] | None
            A predicate on the context.

        Returns
        -------
        Callable
            The decorator (or the handler, used bare).

        Raises
        ------
        TypeError, ValueError
            A bad filter or handler.
        """
        register = self._registrar(self._router.add, command, text, when)
        return register(handler) if handler is not None else register

    def _registrar(
        self,
        add: Callable[[Route], None],
        command: Optional[str],
        text: Optional[Pattern],
        when: Optional[Test],
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        # The filters are checked when the decorator is made, the handler when applied.
        test = make_test(command, text, when)

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            _check_callable("handler", function)
            add(Route(test, function, self))
            return function

        return register

    def state(
        self,
        name: str,
        *,
        command: Optional[str] = None,
        text: Optional[Pattern] = None,
        when: Optional[Test] = None,
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: a handler of the messages that come in state ``name``.

        A state may have several handlers, each with its filters (as
        :meth:`entry`); one without filters takes every message the others
        and the fallbacks' filters leave.

        .. versionadded:: 0.2

        Parameters
        ----------
        name : str
            The state, as the handlers return it.
        command, text, when
            Filters, as in :meth:`entry`.

        Returns
        -------
        Callable
            The decorator.

        Raises
        ------
        TypeError, ValueError
            A bad state name, filter or handler.
        """
        if not isinstance(name, str) or not name or ":" in name:
            raise ValueError(f"a state's name must be a non-empty str without ':', not {name!r}")
        return self._registrar(
            lambda route: self.states.setdefault(name, []).append(route), command, text, when
        )

    def fallback(
        self,
        handler: Optional[Callable[..., Any]] = None,
        *,
        command: Optional[str] = None,
        text: Optional[Pattern] = None,
        when: Optional[Test] = None,
    ) -> Any:
        """Decorator: a handler for every state (``/cancel``, "I did not get that").

        Filters as in :meth:`entry`.

        .. versionadded:: 0.2

        Returns
        -------
        Callable
            The decorator (or the handler, used bare).

        Raises
        ------
        TypeError, ValueError
            A bad filter or handler.
        """
        register = self._registrar(self.fallbacks.append, command, text, when)
        return register(handler) if handler is not None else register

    def on_timeout(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: the handler run when a state's ``timeout`` passes without a message.

        It gets a context without a message (``context.message`` is None;
        ``context.state`` is the state that timed out) and may reply; the
        conversation ends after it. Timeouts count on the bot's clock.

        .. versionadded:: 0.2
        """
        _check_callable("handler", handler)
        self.timeout_handler = handler
        return handler

    # -- what the inbox asks ----------------------------------------------------

    def choose(self, state: str, context: Any) -> Optional[Choice]:
        routes = self.states.get(state, [])
        ordered = [r for r in routes if r.test] + [r for r in self.fallbacks if r.test]
        ordered += [r for r in routes if not r.test] + [r for r in self.fallbacks if not r.test]
        route = _first(ordered, context)
        return None if route is None else Choice(route.handler, self, state)

    def next_state(self, choice: Choice, result: Any, handler: Callable[..., Any]) -> Optional[str]:
        """The state after a handler returned ``result`` (None: no conversation)."""
        if result is None:
            return choice.state
        if result is END:
            return None
        if isinstance(result, str) and result in self.states:
            return result
        raise ValueError(
            f"{getattr(handler, '__name__', handler)!r} returned {result!r}; a handler of "
            f"conversation {self.name!r} returns one of its states {sorted(self.states)}, "
            "END or None"
        )


class Router:
    """A bot's handlers, in the order they were registered, and its conversations."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.flows: dict[str, Conversation] = {}
        #: Predicates given to ``on_direct_message`` that no handler followed yet.
        self.pending: list[Any] = []

    def add(self, route: Route) -> None:
        self.routes.append(route)

    def conversation(self, name: Optional[str], timeout: Optional[float]) -> Conversation:
        if name is None:
            name = f"conversation{len(self.flows) + 1}"
        if not isinstance(name, str) or not name or ":" in name:
            raise ValueError(f"name must be a non-empty str without ':', not {name!r}")
        if name in self.flows:
            raise ValueError(f"a conversation named {name!r} exists already")
        if timeout is not None:
            if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
                raise TypeError(f"timeout must be seconds (a number), not {type(timeout).__name__}")
            if timeout <= 0:
                raise ValueError(f"timeout must be positive, not {timeout}")
            timeout = float(timeout)
        flow = self.flows[name] = Conversation(self, name, timeout)
        return flow

    def empty(self, fallback: Optional[Callable[..., Any]]) -> bool:
        return fallback is None and not self.routes and not self.flows

    def check_complete(self) -> None:
        if self.pending:
            raise RuntimeError(
                f"on_direct_message got the predicate {self.pending[0]!r} and no handler: "
                "use @bot.on_direct_message(predicate) above a handler, or register "
                "handler(message, context) alone"
            )

    def _known(self, stored: str) -> Optional[Conversation]:
        name, _, state = stored.partition(":")
        flow = self.flows.get(name)
        return flow if flow is not None and state in flow.states else None

    def active(self, stored: Optional[str]) -> tuple[Optional[Conversation], Optional[str]]:
        """The conversation and state a stored state names (None, None if none is known)."""
        if stored is None:
            return None, None
        flow = self._known(stored)
        if flow is None:
            log.warning("Conversation state %r is not among the bot's; starting afresh", stored)
            return None, None
        return flow, stored.partition(":")[2]

    def choose(
        self, stored: Optional[str], context: Any, fallback: Optional[Callable[..., Any]]
    ) -> Optional[Choice]:
        """The handler of a message in the conversation state ``stored`` (None: none matches)."""
        flow, state = self.active(stored)
        if flow is not None and state is not None:
            choice = flow.choose(state, context)
            if choice is not None:
                return choice
        routes = [r for r in self.routes if flow is None or r.flow is not flow]
        route = _first([r for r in routes if r.test] + [r for r in routes if not r.test], context)
        if route is not None:
            return Choice(route.handler, route.flow, None)
        if fallback is not None:
            return Choice(fallback, None, None)
        return None

    def saved(
        self,
        row: ConversationRow,
        choice: Optional[Choice],
        result: Any,
        data: Any,
        now: float,
    ) -> ConversationRow:
        """The conversation as it is after a handler returned ``result``.

        Raises
        ------
        TypeError
            ``data`` cannot be stored as JSON.
        ValueError
            A conversation's handler returned what is not a state of it.
        """
        try:
            data = json.loads(json.dumps(data))
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"context.data must hold only what JSON can (dict, list, str, numbers, "
                f"bool, None): {error}"
            ) from None
        if choice is None or choice.flow is None:
            if row.state is not None and self._known(row.state) is None:
                return row._replace(state=None, data=data, expires_at=None)
            return row._replace(data=data)
        flow = choice.flow
        state = flow.next_state(choice, result, choice.handler)
        if state is None:
            return row._replace(state=None, data=data, expires_at=None)
        expires_at = now + flow.timeout if flow.timeout is not None else None
        return row._replace(state=f"{flow.name}:{state}", data=data, expires_at=expires_at)
