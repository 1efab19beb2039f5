"""Multi-step flows as generators of effects, and the two drivers that run them.

A flow (an upload, a download, a request that waits out rate limits) is a
generator that yields what it needs done and is sent the result: it decides
everything and does no I/O. :func:`run_flow` performs the effects with
blocking calls; :func:`arun_flow` awaits them. This is the shape of httpx's
``Auth.auth_flow``, driven by ``sync_auth_flow`` and ``async_auth_flow``, so a
protocol is written once and both clients share it.

An exception raised while performing an effect is thrown into the flow at the
``yield``, so the flow decides whether to retry, wait or give up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Generator, Iterator, Mapping
from typing import Any, Callable, NamedTuple, TypeVar

T = TypeVar("T")


class Send(NamedTuple):
    """Effect: send ``request``; the result is the decoded response (transport-defined)."""

    request: Any


class Sleep(NamedTuple):
    """Effect: wait ``seconds``."""

    seconds: float


class Call(NamedTuple):
    """Effect: a blocking local call (file I/O), ``function(*args)``.

    The sync driver calls it; the async client runs it in the default executor,
    so the event loop never waits on a disk.
    """

    function: Callable[..., Any]
    args: tuple[Any, ...] = ()


class ReadChunk(NamedTuple):
    """Effect: the next chunk of the response being streamed, or ``b""`` at its end."""


Flow = Generator[Any, Any, T]


class Stepper(Iterator[Any]):
    """Steps a flow: iterate to get effects, set :attr:`result` or :attr:`error` between steps.

    Once the flow returns, iteration stops and :attr:`value` holds what it returned.
    """

    def __init__(self, flow: Generator[Any, Any, Any]) -> None:
        self.flow = flow
        self.result: Any = None
        self.error: BaseException | None = None
        self.value: Any = None

    def __next__(self) -> Any:
        result, error = self.result, self.error
        self.result, self.error = None, None
        try:
            return self.flow.throw(error) if error is not None else self.flow.send(result)
        except StopIteration as done:
            self.value = done.value
            raise StopIteration from None


OnError = Callable[[Exception], BaseException]


def _same(error: Exception) -> BaseException:
    return error


def dispatch(table: Mapping[type, Callable[..., Any]]) -> Callable[[Any], Any]:
    """A ``perform`` that calls ``table[type(effect)]`` with the effect's fields."""
    return lambda effect: table[type(effect)](*effect)


def run_flow(flow: Flow[T], perform: Callable[[Any], Any], on_error: OnError = _same) -> T:
    """Run ``flow`` to its end, performing each effect with ``perform``.

    An exception from ``perform`` goes through ``on_error`` (which may turn a
    transport's error into a :mod:`tweepy_dm._policy` one) into the flow.
    """
    # The generator is stepped here, not through a Stepper: this loop runs
    # once per effect of every request, and the Stepper's bookkeeping is most
    # of its cost when the effect itself is cheap (a webhook handler's call).
    send, throw = flow.send, flow.throw
    try:
        effect = send(None)
        while True:
            try:
                result = perform(effect)
            except Exception as error:  # the flow decides what an error means
                effect = throw(on_error(error))
            else:
                effect = send(result)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        # Interrupted (Ctrl+C, a cancelled task): the flow cleans up now, not
        # whenever the garbage collector gets to it (a no-op once it ended).
        flow.close()


async def arun_flow(
    flow: Flow[T], perform: Callable[[Any], Awaitable[Any]], on_error: OnError = _same
) -> T:
    """Run ``flow`` to its end, awaiting ``perform`` for each effect; see :func:`run_flow`."""
    send, throw = flow.send, flow.throw
    try:
        effect = send(None)
        while True:
            try:
                result = await perform(effect)
            except Exception as error:  # the flow decides what an error means
                effect = throw(on_error(error))
            else:
                effect = send(result)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    finally:
        flow.close()  # as in run_flow
